package deploy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-bot/cognito-bot/audit"
)

// dynamoRecorder is a DynamoDB client that sends nothing: an SDK middleware answers
// each request as an empty account would and records it. Running the audit package's
// own code against it tells these tests what that code asks DynamoDB for, so the
// deployment files are checked against the code rather than against a copy of it.
type dynamoRecorder struct {
	mu      sync.Mutex
	created map[string]*dynamodb.CreateTableInput
	ttl     map[string]string
	updates []*dynamodb.UpdateItemInput
}

func newDynamoRecorder() *dynamoRecorder {
	return &dynamoRecorder{created: map[string]*dynamodb.CreateTableInput{}, ttl: map[string]string{}}
}

func (r *dynamoRecorder) client() *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{Region: "eu-west-1", APIOptions: []func(*middleware.Stack) error{
		func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("deploy/record",
				func(_ context.Context, in middleware.InitializeInput, _ middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					out, err := r.answer(in.Parameters)
					return middleware.InitializeOutput{Result: out}, middleware.Metadata{}, err
				}), middleware.Before)
		},
	}})
}

func (r *dynamoRecorder) answer(params any) (any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch in := params.(type) {
	case *dynamodb.DescribeTableInput:
		c, ok := r.created[aws.ToString(in.TableName)]
		if !ok {
			return nil, &types.ResourceNotFoundException{Message: aws.String("Requested resource not found")}
		}
		desc := &types.TableDescription{TableName: c.TableName, TableStatus: types.TableStatusActive, KeySchema: c.KeySchema}
		for _, g := range c.GlobalSecondaryIndexes {
			desc.GlobalSecondaryIndexes = append(desc.GlobalSecondaryIndexes, types.GlobalSecondaryIndexDescription{
				IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection, IndexStatus: types.IndexStatusActive})
		}
		return &dynamodb.DescribeTableOutput{Table: desc}, nil
	case *dynamodb.CreateTableInput:
		r.created[aws.ToString(in.TableName)] = in
		return &dynamodb.CreateTableOutput{}, nil
	case *dynamodb.DescribeTimeToLiveInput:
		return &dynamodb.DescribeTimeToLiveOutput{TimeToLiveDescription: &types.TimeToLiveDescription{TimeToLiveStatus: types.TimeToLiveStatusDisabled}}, nil
	case *dynamodb.UpdateTimeToLiveInput:
		r.ttl[aws.ToString(in.TableName)] = aws.ToString(in.TimeToLiveSpecification.AttributeName)
		return &dynamodb.UpdateTimeToLiveOutput{}, nil
	case *dynamodb.UpdateItemInput:
		r.updates = append(r.updates, in)
		return &dynamodb.UpdateItemOutput{}, nil
	case *dynamodb.GetItemInput:
		return &dynamodb.GetItemOutput{Item: r.stored(in.Key["pk"])}, nil
	case *dynamodb.TransactWriteItemsInput:
		// The updates of a transaction are UpdateItem calls as IAM sees them.
		for _, op := range in.TransactItems {
			if u := op.Update; u != nil {
				r.updates = append(r.updates, &dynamodb.UpdateItemInput{TableName: u.TableName, Key: u.Key,
					UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
					ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues})
			}
		}
		return &dynamodb.TransactWriteItemsOutput{}, nil
	}
	return nil, fmt.Errorf("the recorder does not answer %T", params)
}

// stored answers a read as a table where every audit entry is a chained intent
// still waiting for its outcome and every chain already has a head, so Finish
// takes the path it takes in production: its outcome joins the chain (the
// head's update) in one transaction with the entry's update.
func (r *dynamoRecorder) stored(key types.AttributeValue) map[string]types.AttributeValue {
	pk, _ := key.(*types.AttributeValueMemberS)
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	switch {
	case pk == nil:
		return nil
	case strings.HasPrefix(pk.Value, "CHAINHEAD#"):
		return map[string]types.AttributeValue{"pk": s(pk.Value), "head_seq": s("000000000007"),
			"head_sk": s("2026-01-01T00:00:00.000000000Z#000000000007"), "head_hash": s("h7"), "head_expires": s("0")}
	case strings.HasPrefix(pk.Value, "ENTRY#"):
		id := strings.TrimPrefix(pk.Value, "ENTRY#")
		return map[string]types.AttributeValue{"pk": s(pk.Value), "id": s(id), "time": s("2026-01-01T00:00:00.000000000Z"),
			"action": s("disable"), "decision": s("allowed"), "outcome": s("pending"), "chain_pk": s("CHAIN#1"),
			"chain_sk": s("2026-01-01T00:00:00.000000000Z#000000000003"), "chain_kind": s("intent"), "chain_hash": s("h3")}
	}
	return nil
}

// Table roles as the Terraform resources name them.
const (
	auditRole = "audit"
	stateRole = "state"
)

// migrated runs audit.Migrate against the recorder and returns, by table role, the
// CreateTable request and the TTL attribute it enabled.
func migrated(t *testing.T) (map[string]*dynamodb.CreateTableInput, map[string]string) {
	t.Helper()
	r := newDynamoRecorder()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := audit.Migrate(ctx, r.client(), audit.Tables{Audit: auditRole, State: stateRole}, nil); err != nil {
		t.Fatalf("running audit.Migrate against the recorder: %v", err)
	}
	if len(r.created) != 2 {
		t.Fatalf("Migrate created %d tables, want 2", len(r.created))
	}
	return r.created, r.ttl
}

// finishTouches returns the attributes the audit log's Finish and FinishResolved
// name in their updates (key included): the only ones an update of an audit entry
// may touch.
func finishTouches(t *testing.T) []string {
	t.Helper()
	r := newDynamoRecorder()
	log := audit.NewLog(r.client(), auditRole, time.Hour)
	ctx := context.Background()
	if err := log.Finish(ctx, "entry-1", audit.OutcomeError, "a message", "a-request-id"); err != nil {
		t.Fatalf("running Finish against the recorder: %v", err)
	}
	resolved := audit.Target{Pool: "eu-west-1_abc", Username: "alice", Sub: "0000-sub"}
	if err := log.FinishResolved(ctx, "entry-2", audit.OutcomeOK, "a message", "a-request-id", resolved); err != nil {
		t.Fatalf("running FinishResolved against the recorder: %v", err)
	}
	if len(r.updates) != 4 {
		t.Fatalf("Finish and FinishResolved sent %d updates, want 4 (each: its chain's head and the entry)", len(r.updates))
	}
	set := map[string]bool{}
	for _, u := range r.updates {
		for k := range u.Key {
			set[k] = true
		}
		for _, name := range u.ExpressionAttributeNames {
			set[name] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
