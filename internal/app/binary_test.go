package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// TestBinaryServesAndStopsOnSIGTERM builds the real cognito-bot, migrates, runs it
// against the Slack emulator, moto and DynamoDB Local, answers a lookup and stops
// cleanly on SIGTERM: the production wiring, not the test harness's.
func TestBinaryServesAndStopsOnSIGTERM(t *testing.T) {
	awsCfg := testenv.AWSConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	bin := filepath.Join(t.TempDir(), "cognito-bot")
	build := exec.CommandContext(ctx, "go", "build", "-ldflags", "-X main.version=test-1", "-o", bin, "../../cmd/cognito-bot")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building: %v\n%s", err, out)
	}

	idp := cip.NewFromConfig(awsCfg)
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(testenv.UniqueName("bin"))})
	if err != nil {
		t.Fatal(err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	_, err = idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice"),
		MessageAction:  types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("alice@example.com")}}})
	if err != nil {
		t.Fatal(err)
	}

	emu := slackemu.New(slackemu.Options{AppToken: "xapp-1-bin", BotToken: "xoxb-bin", PingInterval: time.Second})
	defer emu.Close()
	auditTable, stateTable := testenv.UniqueName("audit"), testenv.UniqueName("state")
	t.Cleanup(func() {
		ddb := dynamodb.NewFromConfig(awsCfg)
		for _, name := range []string{auditTable, stateTable} {
			_, _ = ddb.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name})
		}
	})
	cfgPath := filepath.Join(t.TempDir(), "bot.yaml")
	opsAddr := freeAddr(t)
	yaml := "pools:\n  - name: prod\n    id: " + poolID + "\naudit:\n  table: " + auditTable + "\n  state_table: " + stateTable +
		"\nroles:\n  - name: admin\n    actions: [\"*\"]\n    members: [U0ADMIN1]\nops:\n  listen: " + opsAddr + "\n"
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "SLACK_APP_TOKEN=xapp-1-bin", "SLACK_BOT_TOKEN=xoxb-bin",
		"SLACK_API_URL="+strings.TrimSuffix(emu.APIURL(), "/"), "COGNITO_BOT_CONFIG="+cfgPath)

	migrate := exec.CommandContext(ctx, bin, "migrate")
	migrate.Env = env
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}

	var logs bytes.Buffer
	run := exec.CommandContext(ctx, bin, "run", "--log-format", "json")
	run.Env, run.Stdout, run.Stderr = env, &logs, &logs
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	if err := emu.WaitConnections(ctx, 1); err != nil {
		t.Fatalf("the bot never connected: %v\n%s", err, logs.String())
	}
	d, err := emu.SlashCommand(ctx, slackemu.SlashCommand{UserID: "U0ADMIN1", ChannelID: "C0DESK", Command: "/cognito", Text: "lookup alice"})
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.Wait(ctx, func() bool { return len(emu.ResponsePosts(d.ResponseURL)) > 0 }); err != nil {
		t.Fatalf("no answer: %v\n%s", err, logs.String())
	}
	if post := emu.ResponsePosts(d.ResponseURL)[0]; !strings.Contains(string(post.Body), "alice@example.com") {
		t.Errorf("answer lacks the card: %s", post.Body)
	}

	// The ops endpoint: ready (connected, tables checked), alive, and counting what just happened.
	if code, body := httpGet(t, "http://"+opsAddr+"/readyz"); code != 200 {
		t.Errorf("/readyz = %d %s", code, body)
	}
	if code, body := httpGet(t, "http://"+opsAddr+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d %s", code, body)
	}
	_, metricsText := httpGet(t, "http://"+opsAddr+"/metrics")
	for _, want := range []string{
		`cognito_bot_envelopes_total{type="slash_commands"} 1`,
		`cognito_bot_ack_latency_seconds_count 1`,
		`cognito_bot_cognito_calls_total{operation="ListUsers",result="ok"}`,
		`cognito_bot_queue_depth 0`,
		`cognito_bot_build_info{go="` + runtime.Version() + `",version="test-1"} 1`,
		`cognito_bot_socket_connected 1`,
		`cognito_bot_audit_write_seconds_count{operation="begin"} 1`,
		`cognito_bot_audit_write_seconds_count{operation="finish"} 1`,
		`cognito_bot_outcome_unknown_total{cause="` + pipeline.CauseAbandoned + `"} 0`,
		`cognito_bot_outcome_unknown_total{cause="` + pipeline.CauseLostAnswer + `"} 0`,
	} {
		if !strings.Contains(metricsText, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	if err := run.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := run.Wait(); err != nil {
		t.Fatalf("the bot did not exit cleanly on SIGTERM: %v\n%s", err, logs.String())
	}
	for _, want := range []string{`"version":"test-1"`, "stopped cleanly"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
	// JSON only: every line, the AWS SDK's own messages included, is a JSON object.
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("a log line is not JSON: %s", line)
		}
	}
	for _, secret := range []string{"xoxb-bin", "xapp-1-bin", "alice@example.com"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
