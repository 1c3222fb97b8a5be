package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/iampolicy"
)

func TestIAMPolicyCommandPrintsTheConfigurationsLeastPrivilege(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.yaml")
	yaml := "pools:\n  - name: prod\n    id: eu-west-1_Prod00001\naudit:\n  table: desk-audit\n  state_table: desk-state\n" +
		"roles:\n  - name: desk\n    actions: [lookup]\n    members: [U0DESK001]\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	// No Slack tokens and no AWS credentials: the command calls nothing.
	var out, errOut bytes.Buffer
	if code := Main([]string{"iam-policy", "--config", path, "--account", "123456789012"}, "t", envOf(nil), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut.String())
	}
	var doc iampolicy.Document
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("stdout is not a policy document: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"cognito-idp:AdminGetUser", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Prod00001",
		"arn:aws:dynamodb:eu-west-1:123456789012:table/desk-audit", "AuditLogIsAppendOnly"} {
		if !strings.Contains(text, want) {
			t.Errorf("the policy lacks %s", want)
		}
	}
	if strings.Contains(text, "AdminDeleteUser") || strings.Contains(text, "AdminDisableUser") {
		t.Errorf("a lookup-only installation is granted changes:\n%s", text)
	}

	out.Reset()
	errOut.Reset()
	if code := Main([]string{"iam-policy", "--config", path, "--migrate"}, "t", envOf(map[string]string{"AWS_REGION": "us-east-2"}), &out, &errOut); code != exitOK {
		t.Fatalf("--migrate: exit %d; stderr:\n%s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "dynamodb:CreateTable") || !strings.Contains(out.String(), "arn:aws:dynamodb:us-east-2:ACCOUNT_ID:table/desk-state") {
		t.Errorf("--migrate without --account, AWS_REGION=us-east-2:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "ACCOUNT_ID") {
		t.Errorf("without --account the placeholder is not pointed out: %q", errOut.String())
	}

	for name, args := range map[string][]string{
		"malformed account":    {"iam-policy", "--config", path, "--account", "12345"},
		"account outside":      {"run", "--config", path, "--account", "123456789012"},
		"migrate flag outside": {"check-config", "--config", path, "--migrate"},
	} {
		errOut.Reset()
		if code := Main(args, "t", envOf(nil), &out, &errOut); code != exitUsage {
			t.Errorf("%s: exit %d, want %d; stderr:\n%s", name, code, exitUsage, errOut.String())
		}
	}
	if code := Main([]string{"iam-policy"}, "t", envOf(nil), &out, &errOut); code != exitConfig {
		t.Errorf("without a configuration: exit %d, want %d", code, exitConfig)
	}
}
