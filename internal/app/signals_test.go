package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// What the AWS SDK itself says — here, that it retries a failed call — reaches the
// bot's own logger (JSON in production) as an entry of logger "aws", not as a
// plain line on stderr.
func TestAWSSDKMessagesGoThroughTheBotsLogger(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"try again"}`))
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{"Table":{"TableName":"t","TableStatus":"ACTIVE"}}`))
	}))
	defer srv.Close()

	core, logs := observer.New(zapcore.DebugLevel)
	cfg := withSDKLogger(aws.Config{
		Region:        "eu-west-1",
		Credentials:   credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint:  aws.String(srv.URL),
		ClientLogMode: aws.LogRetries,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			})
		},
	}, zap.New(core))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := dynamodb.NewFromConfig(cfg).DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("t")}); err != nil {
		t.Fatalf("the retried call failed: %v", err)
	}
	var found bool
	for _, e := range logs.All() {
		found = found || (e.LoggerName == "aws" && strings.Contains(e.Message, "retrying request"))
	}
	if !found {
		t.Errorf("the SDK's retry message is not in the bot's log; entries: %v", logs.All())
	}
}
