package awsdir

import (
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

// TestLogsCarryIDsOnly checks that mutations are logged with the pool and
// request IDs, and that passwords, attribute values and the user's identity
// never reach the log (the audit log records who).
func TestLogsCarryIDsOnly(t *testing.T) {
	core, logs := observer.New(zap.DebugLevel)
	r := &recorder{}
	d := newDirectory(func(string, *quota.Set) cognitoAPI { return r }, Options{Logger: zap.New(core)}, newFakeClock().clock())
	ctx := testIntent()
	const secret = "S3cret-Passw0rd!"
	if _, _, err := d.CreateUser(ctx, "us-east-1_a", cognito.NewUser{Username: "bob", Email: "bob@example.com",
		Attributes: map[string]string{"custom:note": "private-value"}, TemporaryPassword: secret}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SetPassword(ctx, "us-east-1_a", "bob", secret, true); err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 2 {
		t.Fatalf("%d log entries, want 2", logs.Len())
	}
	for _, e := range logs.All() {
		line := fmt.Sprint(e.Message, e.ContextMap())
		if strings.Contains(line, secret) || strings.Contains(line, "private-value") || strings.Contains(line, "bob") {
			t.Fatalf("log leaks data: %s", line)
		}
		if _, ok := e.ContextMap()["request_id"]; e.ContextMap()["pool_id"] != "us-east-1_a" || !ok {
			t.Fatalf("log lacks IDs: %s", line)
		}
	}
}
