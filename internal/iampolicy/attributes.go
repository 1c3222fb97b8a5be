package iampolicy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-bot/cognito-bot/audit"
)

// AuditUpdatableAttributes returns the attributes (key included) the audit log's
// Finish and FinishResolved name in their updates — the entry's outcome, and the
// head of the hash chain its outcome joins (head_*; an entry's own link is never
// updated) — the only ones an update on the audit table may touch, which the
// policy's deny on other attributes enforces. It runs the audit package's own
// code against a DynamoDB client that sends nothing, answering reads as a table
// where every entry is a chained intent waiting for its outcome and every chain
// has a head, so the policy follows the code instead of a copy of it.
func AuditUpdatableAttributes(ctx context.Context) ([]string, error) {
	rec := &updateRecorder{}
	log := audit.NewLog(rec.client(), "audit", time.Hour)
	if err := log.Finish(ctx, "entry-1", audit.OutcomeError, "a message", "a-request-id"); err != nil {
		return nil, fmt.Errorf("recording what Finish updates: %w", err)
	}
	resolved := audit.Target{Pool: "eu-west-1_abc", Username: "alice", Sub: "0000-sub"}
	if err := log.FinishResolved(ctx, "entry-2", audit.OutcomeOK, "a message", "a-request-id", resolved); err != nil {
		return nil, fmt.Errorf("recording what FinishResolved updates: %w", err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.updates) != 4 {
		return nil, fmt.Errorf("finishing two audit entries sent %d updates, want 4 (each: its chain's head and the entry)", len(rec.updates))
	}
	var out []string
	for _, u := range rec.updates {
		for k := range u.Key {
			out = append(out, k)
		}
		for _, name := range u.ExpressionAttributeNames {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// updateRecorder answers reads and writes in-process, keeping each update (a
// transaction's updates are UpdateItem calls as IAM sees them).
type updateRecorder struct {
	mu      sync.Mutex
	updates []*dynamodb.UpdateItemInput
}

func (r *updateRecorder) client() *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{Region: "eu-west-1", Credentials: aws.AnonymousCredentials{}, APIOptions: []func(*middleware.Stack) error{
		func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("iampolicy/record",
				func(_ context.Context, in middleware.InitializeInput, _ middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					out, err := r.answer(in.Parameters)
					return middleware.InitializeOutput{Result: out}, middleware.Metadata{}, err
				}), middleware.Before)
		},
	}})
}

func (r *updateRecorder) answer(params any) (any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch in := params.(type) {
	case *dynamodb.UpdateItemInput:
		r.updates = append(r.updates, in)
		return &dynamodb.UpdateItemOutput{}, nil
	case *dynamodb.GetItemInput:
		return &dynamodb.GetItemOutput{Item: storedForFinish(in.Key["pk"])}, nil
	case *dynamodb.TransactWriteItemsInput:
		for _, op := range in.TransactItems {
			if u := op.Update; u != nil {
				r.updates = append(r.updates, &dynamodb.UpdateItemInput{TableName: u.TableName, Key: u.Key,
					UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
					ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues})
			}
		}
		return &dynamodb.TransactWriteItemsOutput{}, nil
	}
	return nil, fmt.Errorf("finishing an audit entry called %T; the policy only knows reads, updates and transactions", params)
}

// storedForFinish is the item a read of key finds: a chain head, or an audit
// entry that is a chained intent still waiting for its outcome.
func storedForFinish(key types.AttributeValue) map[string]types.AttributeValue {
	pk, _ := key.(*types.AttributeValueMemberS)
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	switch {
	case pk == nil:
		return nil
	case strings.HasPrefix(pk.Value, "CHAINHEAD#"):
		return map[string]types.AttributeValue{"pk": s(pk.Value), "head_seq": s("000000000007"),
			"head_sk": s("2026-01-01T00:00:00.000000000Z#000000000007"), "head_hash": s("h7"), "head_expires": s("0")}
	case strings.HasPrefix(pk.Value, "ENTRY#"):
		return map[string]types.AttributeValue{"pk": s(pk.Value), "id": s(strings.TrimPrefix(pk.Value, "ENTRY#")),
			"time": s("2026-01-01T00:00:00.000000000Z"), "action": s("disable"), "decision": s("allowed"), "outcome": s("pending"),
			"chain_pk": s("CHAIN#1"), "chain_sk": s("2026-01-01T00:00:00.000000000Z#000000000003"), "chain_kind": s("intent"), "chain_hash": s("h3")}
	}
	return nil
}
