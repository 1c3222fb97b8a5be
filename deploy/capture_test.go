package deploy

import (
	"context"
	"fmt"
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
	}
	return nil, fmt.Errorf("the recorder does not answer %T", params)
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
