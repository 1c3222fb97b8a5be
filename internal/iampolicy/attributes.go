package iampolicy

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-bot/cognito-bot/audit"
)

// AuditUpdatableAttributes returns the attributes (key included) the audit log's
// Finish and FinishResolved name in their updates: the only ones an update of an
// audit entry may touch, which the policy's deny on other attributes enforces. It
// runs the audit package's own code against a DynamoDB client that sends nothing,
// so the policy follows the code instead of a copy of it.
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
	if len(rec.updates) == 0 {
		return nil, fmt.Errorf("finishing an audit entry sent no update")
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

// updateRecorder answers UpdateItem in-process, keeping each request.
type updateRecorder struct {
	mu      sync.Mutex
	updates []*dynamodb.UpdateItemInput
}

func (r *updateRecorder) client() *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{Region: "eu-west-1", Credentials: aws.AnonymousCredentials{}, APIOptions: []func(*middleware.Stack) error{
		func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("iampolicy/record",
				func(_ context.Context, in middleware.InitializeInput, _ middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					u, ok := in.Parameters.(*dynamodb.UpdateItemInput)
					if !ok {
						return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("finishing an audit entry called %T; the policy only knows UpdateItem", in.Parameters)
					}
					r.mu.Lock()
					r.updates = append(r.updates, u)
					r.mu.Unlock()
					return middleware.InitializeOutput{Result: &dynamodb.UpdateItemOutput{}}, middleware.Metadata{}, nil
				}), middleware.Before)
		},
	}})
}
