package audit

import (
	"context"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// dynamoAPI lists exactly the DynamoDB operations this package calls, with the SDK's own
// signatures, so that *dynamodb.Client satisfies it and a unit test can substitute a fake
// (see https://aws.github.io/aws-sdk-go-v2/docs/unit-testing/). The exported constructors
// take the concrete client; everything inside the package talks to this interface.
type dynamoAPI interface {
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	UpdateTable(ctx context.Context, in *dynamodb.UpdateTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateTableOutput, error)
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	DescribeTimeToLive(ctx context.Context, in *dynamodb.DescribeTimeToLiveInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error)
	UpdateTimeToLive(ctx context.Context, in *dynamodb.UpdateTimeToLiveInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateTimeToLiveOutput, error)
}

var _ dynamoAPI = (*dynamodb.Client)(nil)

// NewClient builds the DynamoDB client the bot should hand to NewLog, NewStore and Migrate.
//
// It is dynamodb.NewFromConfig plus one local-only fix: DynamoDB Local sends a wrong
// X-Amz-Crc32 header on its error responses, which makes the SDK log a harmless
// "response did not match expected checksum" warning on every conditional-check failure
// (cognito-and-dynamodb.md §7). The CRC32 validation is therefore switched off only when
// the resolved endpoint is overridden to something that is not an AWS host (e.g.
// AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000); against real DynamoDB it stays on.
func NewClient(cfg aws.Config) *dynamodb.Client {
	c := dynamodb.NewFromConfig(cfg)
	if !needsChecksumFix(c.Options().BaseEndpoint) {
		return c
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.DisableValidateResponseChecksum = true
	})
}

// needsChecksumFix reports whether endpoint is an override pointing at something other
// than AWS (an emulator), where response CRC32 values cannot be trusted.
func needsChecksumFix(endpoint *string) bool {
	if endpoint == nil || *endpoint == "" {
		return false
	}
	u, err := url.Parse(*endpoint)
	if err != nil || u.Hostname() == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return !strings.HasSuffix(host, ".amazonaws.com") && !strings.HasSuffix(host, ".amazonaws.com.cn")
}
