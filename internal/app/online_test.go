package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// awsEnv passes the emulator endpoints and test credentials through to Main.
func awsEnv(extra map[string]string) map[string]string {
	env := map[string]string{}
	for _, k := range []string{"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"} {
		env[k] = os.Getenv(k)
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

func TestCheckConfigOnlineReportsEveryFailureAtOnceThenPasses(t *testing.T) {
	awsCfg := testenv.AWSConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	emu := slackemu.New(slackemu.Options{AppToken: "xapp-1-online", BotToken: "xoxb-right"})
	defer emu.Close()

	idp := cip.NewFromConfig(awsCfg)
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(testenv.UniqueName("online"))})
	if err != nil {
		t.Fatal(err)
	}
	realPool := aws.ToString(pool.UserPool.Id)
	region, _, _ := strings.Cut(realPool, "_")
	missingPool := region + "_Missing0000"
	auditTable, stateTable := testenv.UniqueName("audit"), testenv.UniqueName("state")
	t.Cleanup(func() {
		ddb := dynamodb.NewFromConfig(awsCfg)
		for _, name := range []string{auditTable, stateTable} {
			_, _ = ddb.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name})
		}
	})
	write := func(pools string) string {
		path := filepath.Join(t.TempDir(), "bot.yaml")
		yaml := "pools:\n" + pools + "audit:\n  table: " + auditTable + "\n  state_table: " + stateTable +
			"\nroles:\n  - name: admin\n    actions: [\"*\"]\n    members: [U0ADMIN1]\n"
		if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	api := strings.TrimSuffix(emu.APIURL(), "/")

	// Wrong bot token, no tables yet, one pool that does not exist: all four at once.
	bad := write("  - name: real\n    id: " + realPool + "\n  - name: ghost\n    id: " + missingPool + "\n")
	var out, errOut bytes.Buffer
	env := awsEnv(map[string]string{"SLACK_APP_TOKEN": "xapp-1-online", "SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_API_URL": api})
	code := Main([]string{"check-config", "--online", "--config", bad}, "test", envOf(env), &out, &errOut)
	if code != exitPreflight {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPreflight, errOut.String())
	}
	report := errOut.String()
	for _, want := range []string{
		"4 online check(s) failed",
		`Slack auth.test: Slack says "invalid_auth"; set SLACK_BOT_TOKEN`,
		auditTable + `" (audit.table): does not exist`, stateTable + `" (audit.state_table): does not exist`,
		"cognito-bot migrate", "pools[1].id " + missingPool + "): no such pool",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "pools[0]") {
		t.Errorf("the existing pool was reported:\n%s", report)
	}
	if strings.Contains(report, "xoxb-wrong") {
		t.Error("the token was printed")
	}

	// Fix everything: the right token, migrated tables, only the real pool.
	good := write("  - name: real\n    id: " + realPool + "\n")
	env["SLACK_BOT_TOKEN"] = "xoxb-right"
	if code := Main([]string{"migrate", "--config", good}, "test", envOf(env), &out, &errOut); code != 0 {
		t.Fatalf("migrate failed: %s", errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if code := Main([]string{"check-config", "--config", good, "--online"}, "test", envOf(env), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d after fixing everything:\n%s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "online checks OK") {
		t.Errorf("stdout = %q", out.String())
	}
}
