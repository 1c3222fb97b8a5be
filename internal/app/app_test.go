package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestCheckConfigReportsEveryMistakeWithItsKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := `
pools:
  - name: prod
    id: not-a-pool-id
audit:
  table: audit
  state_table: state
  retension: 10d
roles:
  - name: support
    actions: [lookup, frobnicate]
    members: [U012AB3CD]
approvals:
  - action: delete
    approvers: [U0APPROVER]
    channel: C0APPROVALS
`
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := Main([]string{"check-config", "--config", path}, "test", envOf(map[string]string{"SLACK_APP_TOKEN": "xoxb-wrong"}), &out, &errOut)
	if code == 0 {
		t.Fatal("check-config accepted a broken file")
	}
	for _, key := range []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "pools[0].id", "audit.retension", "roles[0].actions[1]", "approvals[0]"} {
		if !strings.Contains(errOut.String(), key) {
			t.Errorf("output does not name %s:\n%s", key, errOut.String())
		}
	}
	if strings.Contains(errOut.String(), "xoxb-wrong") {
		t.Error("a token value was printed")
	}
}

func TestRunWithoutConfigSaysWhatToSet(t *testing.T) {
	var out, errOut bytes.Buffer
	tokens := envOf(map[string]string{"SLACK_APP_TOKEN": "xapp-1-x", "SLACK_BOT_TOKEN": "xoxb-x"})
	if code := Main(nil, "test", tokens, &out, &errOut); code == 0 {
		t.Fatal("run without configuration should fail")
	}
	if !strings.Contains(errOut.String(), "COGNITO_BOT_CONFIG") {
		t.Errorf("should say to set COGNITO_BOT_CONFIG:\n%s", errOut.String())
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if Main([]string{"version"}, "v1.2.3", envOf(nil), &out, &errOut) != 0 || !strings.Contains(out.String(), "v1.2.3") {
		t.Errorf("version printed %q", out.String())
	}
	if Main([]string{"frobnicate"}, "v", envOf(nil), &out, &errOut) != exitUsage {
		t.Error("unknown subcommand should be a usage error")
	}
}

func TestMigrateTwiceLeavesTheSameTables(t *testing.T) {
	awsCfg := testenv.AWSConfig(t)
	auditTable, stateTable := testenv.UniqueName("audit"), testenv.UniqueName("state")
	path := filepath.Join(t.TempDir(), "ok.yaml")
	cfg := strings.NewReplacer("AUDIT", auditTable, "STATE", stateTable).Replace(`
pools:
  - name: test
    id: us-east-1_Example1
audit:
  table: AUDIT
  state_table: STATE
roles:
  - name: admin
    actions: ["*"]
    members: [U0ADMIN1]
`)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, k := range []string{"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"} {
		env[k] = os.Getenv(k)
	}
	describe := func() string {
		ddb := dynamodb.NewFromConfig(awsCfg)
		var b strings.Builder
		for _, name := range []string{auditTable, stateTable} {
			d, err := ddb.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: &name})
			if err != nil {
				t.Fatalf("describing %s: %v", name, err)
			}
			ttl, err := ddb.DescribeTimeToLive(context.Background(), &dynamodb.DescribeTimeToLiveInput{TableName: &name})
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(name + " " + string(d.Table.TableStatus) + " ttl=" + string(ttl.TimeToLiveDescription.TimeToLiveStatus))
			for _, g := range d.Table.GlobalSecondaryIndexes {
				b.WriteString(" gsi=" + *g.IndexName)
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	t.Cleanup(func() {
		ddb := dynamodb.NewFromConfig(awsCfg)
		for _, name := range []string{auditTable, stateTable} {
			_, _ = ddb.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name})
		}
	})
	for i := range 2 {
		var out, errOut bytes.Buffer
		if code := Main([]string{"migrate", "--config", path}, "test", envOf(env), &out, &errOut); code != 0 {
			t.Fatalf("migrate run %d failed (%d):\n%s", i+1, code, errOut.String())
		}
	}
	state := describe()
	if !strings.Contains(state, "ACTIVE ttl=ENABLED gsi=") || strings.Count(state, "ttl=ENABLED") != 2 {
		t.Fatalf("after two migrations: %s", state)
	}
}

func TestNoSlackTokensMeansSandboxAndHalfSetEndpointsAreRefused(t *testing.T) {
	if !sandboxMode("", envOf(nil)) {
		t.Error("with no Slack tokens and no configuration, run should serve the sandbox")
	}
	if sandboxMode("", envOf(map[string]string{"SLACK_BOT_TOKEN": "xoxb-x"})) {
		t.Error("with a Slack token, run should connect to Slack (and report the missing one)")
	}
	_, err := sandboxBackend(context.Background(), envOf(map[string]string{envDynamoDBEndpoint: "http://127.0.0.1:1"}), zap.NewNop())
	if err == nil || !strings.Contains(err.Error(), envCognitoEndpoint) {
		t.Errorf("one endpoint variable alone must be refused, naming the other; got %v", err)
	}
	// Endpoints off this machine could be a real account's: refused before any call.
	_, err = sandboxBackend(context.Background(), envOf(map[string]string{envDynamoDBEndpoint: "http://127.0.0.1:1",
		envCognitoEndpoint: "https://cognito-idp.us-east-1.amazonaws.com"}), zap.NewNop())
	if err == nil || !strings.Contains(err.Error(), "only against emulators") {
		t.Errorf("a non-loopback endpoint must be refused; got %v", err)
	}
	// Whatever credentials the machine has, the sandbox signs with dummy ones.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY00")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "real-looking-secret")
	cfg, err := sandboxAWSConfig(context.Background(), "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if creds, err := cfg.Credentials.Retrieve(context.Background()); err != nil || creds.AccessKeyID != "sandbox" {
		t.Errorf("the sandbox signs with %q (err %v); want the dummy credentials", creds.AccessKeyID, err)
	}
}

// Naming a configuration means the real bot: without tokens, run says which
// variables to set and exits with the configuration code instead of quietly
// serving the sandbox.
func TestRunWithAConfigButNoTokensReportsThemInsteadOfStartingTheSandbox(t *testing.T) {
	example := filepath.Join("..", "..", "cognito-bot.example.yaml")
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"--config":           {args: []string{"run", "--config", example}},
		"COGNITO_BOT_CONFIG": {args: []string{"run"}, env: map[string]string{"COGNITO_BOT_CONFIG": example}},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(tc.args, "test", envOf(tc.env), &out, &errOut)
			if code != exitConfig {
				t.Fatalf("exit %d, want %d (configuration); stderr:\n%s", code, exitConfig, errOut.String())
			}
			for _, want := range []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"} {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr does not name %s:\n%s", want, errOut.String())
				}
			}
			if strings.Contains(out.String()+errOut.String(), "sandbox") {
				t.Errorf("the sandbox started:\n%s%s", out.String(), errOut.String())
			}
		})
	}
}
