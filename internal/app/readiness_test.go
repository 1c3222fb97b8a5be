package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cognito-bot/cognito-bot/internal/metrics"
)

// deniedARN is what AWS puts in an AccessDenied message: the bot's role and the
// account id, which /readyz (an all-interfaces port) must not show.
const deniedARN = "arn:aws:sts::123456789012:assumed-role/cognito-bot/i-0abc"

// TestReadyzNamesTheTableButKeepsAWSTextInTheLog points the readiness check at
// a DynamoDB that answers the audit table with AccessDenied (naming the role's
// ARN) and the state table normally: /readyz says "audit table unreachable",
// the ARN and the table's name appear only in the log.
func TestReadyzNamesTheTableButKeepsAWSTextInTheLog(t *testing.T) {
	ddb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ TableName string }
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		if in.TableName == "prod-audit" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"__type":"com.amazonaws.dynamodb.v20120810#AccessDeniedException","message":"User: `+deniedARN+` is not authorized to perform: dynamodb:DescribeTable on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/prod-audit"}`)
			return
		}
		_, _ = io.WriteString(w, `{"Table":{"TableName":"`+in.TableName+`","TableStatus":"ACTIVE"}}`)
	}))
	defer ddb.Close()
	awsCfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(ddb.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}

	core, logs := observer.New(zap.WarnLevel)
	h := metrics.NewHealth(time.Minute, time.Now)
	h.SetConnected(true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchTables(ctx, awsCfg, []storeTable{{"audit table", "prod-audit"}, {"state table", "prod-state"}}, h, zap.New(core))
	}()
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(30 * time.Second)
	for slices.Contains(h.Ready(), "DynamoDB not checked yet") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	rec := httptest.NewRecorder()
	h.ReadyHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusServiceUnavailable || strings.TrimSpace(body) != "audit table unreachable" {
		t.Fatalf("/readyz = %d %q, want 503 \"audit table unreachable\"", rec.Code, body)
	}
	for _, secret := range []string{"arn:aws", "123456789012", "prod-audit", "AccessDenied"} {
		if strings.Contains(body, secret) {
			t.Errorf("/readyz shows %q: %q", secret, body)
		}
	}
	var logged string
	for _, e := range logs.All() {
		logged += e.Message + " " + e.ContextMap()["problem"].(string) + " " + e.ContextMap()["table"].(string) + "\n"
	}
	if !strings.Contains(logged, "prod-audit") || !strings.Contains(logged, "grant dynamodb:DescribeTable") && !strings.Contains(logged, "AccessDenied") {
		t.Errorf("the log lacks the details:\n%s", logged)
	}
}
