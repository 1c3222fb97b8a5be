package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goodEnv is an environment with well-formed (fake) tokens.
func goodEnv(extra ...string) func(string) string {
	env := map[string]string{
		EnvAppToken: "xapp-1-A0-secretapp",
		EnvBotToken: "xoxb-1-secretbot",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return func(k string) string { return env[k] }
}

// writeConfig writes body to a temp file and returns its path.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cognito-bot.yaml")
	if err := os.WriteFile(path, []byte(strings.TrimLeft(body, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// problemsOf unwraps Load's error into its problems, failing on any other
// kind of error.
func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	if err == nil {
		return nil
	}
	var probs *Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Load error is %T, want *Problems: %v", err, err)
	}
	return *probs
}

// minimal is the smallest valid file.
const minimal = `
pools:
  - name: prod
    id: eu-west-1_AbCdEf123
audit:
  table: cognito-bot-audit
  state_table: cognito-bot-state
roles:
  - name: support
    actions: [lookup]
    members: [U012AB3CD]
`

func TestLoadExampleFile(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "..", "cognito-bot.example.yaml"), goodEnv())
	if err != nil {
		t.Fatalf("Load(example): %v", err)
	}
	if got := cfg.DefaultPool(); got.Name != "prod" || got.Region != "eu-west-1" {
		t.Errorf("DefaultPool() = %+v, want prod in eu-west-1", got)
	}
	if got := cfg.Audit.Retention.Std(); got != 365*24*time.Hour {
		t.Errorf("Audit.Retention = %v, want 365 days", got)
	}
	if len(cfg.Approvals) < 2 || cfg.Approvals[1].Channel != "C0PRODAPPROVALS" || !cfg.Approvals[1].RequireReason {
		t.Errorf("Approvals = %+v; want the prod rule second, asking a reason", cfg.Approvals)
	}
	if q := cfg.Quotas; q.Share != 0.5 || q.UserUpdate != 10 || q.UserRead != 60 {
		t.Errorf("Quotas = %+v, want share 0.5, user_update 10 as written, user_read 60 from the share", q)
	}
}

func TestLoadAppliesDefaults(t *testing.T) {
	cfg, err := Load(writeConfig(t, minimal), goodEnv())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"slack.command", cfg.Slack.Command, DefaultCommand},
		{"slack.group_refresh", cfg.Slack.GroupRefresh, Duration(5 * time.Minute)},
		{"pools[0].region", cfg.Pools[0].Region, "eu-west-1"},
		{"audit.retention", cfg.Audit.Retention, Duration(8760 * time.Hour)},
		{"confirm.by", cfg.Confirm.By, ConfirmByRequester},
		{"confirm.expiry", cfg.Confirm.Expiry, Duration(15 * time.Minute)},
		{"quotas", cfg.Quotas, DefaultQuotas()},
		{"slack.api_url", cfg.Slack.APIURL, ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestLoadApprovalExpiryDefault(t *testing.T) {
	body := strings.Replace(minimal, "actions: [lookup]", "actions: [lookup, disable]", 1) + `
approvals:
  - action: disable
    approvers: [U0APPROVER]
    channel: C0APPROVALS
`
	cfg, err := Load(writeConfig(t, body), goodEnv())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := cfg.Approvals[0].Expiry; got != DefaultApprovalExpiry {
		t.Errorf("approvals[0].expiry = %v, want %v", got, DefaultApprovalExpiry)
	}
}

func TestLoadSlackAPIURL(t *testing.T) {
	tests := []struct {
		name, env, want, problem string
	}{
		{name: "unset", env: "", want: ""},
		{name: "trailing slash kept", env: "http://localhost:8888/api/", want: "http://localhost:8888/api/"},
		{name: "slash added", env: "http://localhost:8888/api", want: "http://localhost:8888/api/"},
		{name: "space trimmed", env: " https://slack.example/api \n", want: "https://slack.example/api/"},
		{name: "not a url", env: "localhost:8888", problem: "http"},
		{name: "wrong scheme", env: "ftp://x/api", problem: "http"},
		{name: "no host", env: "http:///api", problem: "http"},
	}
	path := writeConfig(t, minimal)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(path, goodEnv(EnvAPIURL, tt.env))
			probs := problemsOf(t, err)
			if tt.problem != "" {
				if len(probs) != 1 || probs[0].Key != "env.SLACK_API_URL" || !strings.Contains(probs[0].Message, tt.problem) {
					t.Fatalf("problems = %v, want one on env.SLACK_API_URL", probs)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if cfg.Slack.APIURL != tt.want {
				t.Errorf("APIURL = %q, want %q", cfg.Slack.APIURL, tt.want)
			}
		})
	}
}

func TestLoadTokens(t *testing.T) {
	tests := []struct {
		name     string
		app, bot string
		want     []string // "key: message fragment"
	}{
		{"both good", "xapp-1-x", "xoxb-1-x", nil},
		{"both missing", "", "", []string{"env.SLACK_APP_TOKEN: not set", "env.SLACK_BOT_TOKEN: not set"}},
		{"swapped", "xoxb-1-secret1", "xapp-1-secret2", []string{
			"env.SLACK_APP_TOKEN: does not start with xapp-", "env.SLACK_BOT_TOKEN: does not start with xoxb-"}},
	}
	path := writeConfig(t, minimal)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(path, goodEnv(EnvAppToken, tt.app, EnvBotToken, tt.bot))
			probs := problemsOf(t, err)
			assertProblems(t, probs, tt.want)
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks a token: %v", err)
			}
		})
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
		want []string
	}{
		{"no path", func(*testing.T) string { return "" }, []string{"config: no config file given"}},
		{"missing file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.yaml") },
			[]string{"config: reading config file"}},
		{"syntax error", func(t *testing.T) string { return writeConfig(t, "slack:\n  command: /x\n    group_refresh: 5m\n") },
			[]string{"config: not valid YAML: line 3: mapping values are not allowed"}},
		{"tab indentation", func(t *testing.T) string { return writeConfig(t, "slack:\n\tcommand: /x\n") },
			[]string{"config: line 2"}},
		{"empty file", func(t *testing.T) string { return writeConfig(t, "") },
			[]string{"pools: at least one pool", "audit.table: required",
				"audit.state_table: required", "roles: at least one role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path(t), goodEnv(EnvAppToken, ""))
			probs := problemsOf(t, err)
			assertProblems(t, probs, append([]string{"env.SLACK_APP_TOKEN: not set"}, tt.want...))
		})
	}
}

// assertProblems checks probs against "key: fragment" expectations, in order.
func assertProblems(t *testing.T, probs Problems, want []string) {
	t.Helper()
	if len(probs) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(probs), len(want), probs.Err())
	}
	for i, w := range want {
		key, frag, _ := strings.Cut(w, ": ")
		if probs[i].Key != key || !strings.Contains(probs[i].Message, frag) {
			t.Errorf("problem %d = %q, want key %q containing %q", i, probs[i].String(), key, frag)
		}
	}
}
