package config

import (
	"strings"
	"testing"
)

// TestLoadFiveMistakes is the acceptance check behind "check-config on a
// file with five different mistakes prints all five with their keys".
func TestLoadFiveMistakes(t *testing.T) {
	body := `
slack:
  command: cognito
pools:
  - name: prod
    id: eu-west-1_AbCdEf123
  - name: staging
    id: eu-west1-AbC
audit:
  table: cognito-bot-audit
  state_table: cognito-bot-state
  retension: 30d
roles:
  - name: support
    actions: [lookup, lsit]
    members: [U012AB3CD, alice]
`
	_, err := Load(writeConfig(t, body), goodEnv())
	probs := problemsOf(t, err)
	assertProblems(t, probs, []string{
		"slack.command: must be a slash command",
		"pools[1].id: is not a Cognito user pool id",
		"audit.retension: unknown key (line 11); expected one of: table, state_table, retention",
		"roles[0].actions[1]: unknown action \"lsit\"",
		"roles[0].members[1]: is not a Slack user id",
	})
	out := err.Error()
	if got := strings.Count(out, "\n") + 1; got != 5 {
		t.Errorf("Error() has %d lines, want 5:\n%s", got, out)
	}
	if !strings.HasPrefix(out, "slack.command: ") {
		t.Errorf("Error() does not start with \"key: message\":\n%s", out)
	}
}

func TestLoadUnknownKeysAtEveryDepth(t *testing.T) {
	body := `
slak:
  command: /cognito
slack:
  comand: /cognito
  app_token: xapp-in-the-file
pools:
  - name: prod
    id: eu-west-1_AbCdEf123
    regoin: eu-west-1
audit:
  table: cognito-bot-audit
  state_table: cognito-bot-state
roles:
  - name: support
    actions: [lookup, delete]
    members: [U012AB3CD]
    channel: [C0123456789]
approvals:
  - action: delete
    approvers: [U0APPROVER]
    channel: C0APPROVALS
    requires_reason: true
actions:
  delete: { require_reason: true, reason: yes }
`
	_, err := Load(writeConfig(t, body), goodEnv())
	probs := problemsOf(t, err)
	assertProblems(t, probs, []string{
		"slak: unknown key (line 1); expected one of: slack, pools,",
		"slack.comand: unknown key (line 4)",
		"slack.app_token: read only from the environment",
		"pools[0].regoin: unknown key (line 9); expected one of: name, id, region",
		"roles[0].channel: unknown key (line 17); expected one of: name, actions, members, channels",
		"approvals[0].requires_reason: unknown key (line 22)",
		"actions.delete.reason: unknown key (line 24); expected one of: require_reason",
	})
	if strings.Contains(err.Error(), "xapp-in-the-file") {
		t.Errorf("error echoes the token written in the file")
	}
}

func TestLoadDecodeErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"bad duration", "slack:\n  group_refresh: soon\n",
			[]string{"slack.group_refresh: line 2: invalid duration `soon`"}},
		{"number for duration", "confirm:\n  expiry: 15\n",
			[]string{"confirm.expiry: line 2: invalid duration `15`"}},
		{"list for duration", "audit:\n  retention: [1h]\n  table: cognito-bot-audit\n  state_table: cognito-bot-state\n",
			[]string{"audit.retention: line 2: expected a duration such as 15m, got a list"}},
		{"string for number", "quotas:\n  user_read: lots\n",
			[]string{"quotas.user_read: line 2: expected a number, got `lots`"}},
		{"long value", "quotas:\n  user_read: unlimited-please\n",
			[]string{"quotas.user_read: line 2: expected a number, got `unlimit...`"}},
		{"mapping in a flow list", "roles:\n  - name: x\n    actions: [lookup]\n    members: [U1, {a: b}]\n",
			[]string{"roles[0].members[1]: line 4: expected a single value, got a mapping"}},
		{"string for list", "roles:\n  - name: x\n    actions: lookup\n    members: [U1]\n",
			[]string{"roles[0].actions: line 3: expected a list, got `lookup`"}},
		{"string for bool", "actions:\n  delete: { require_reason: maybe }\n",
			[]string{"actions.delete.require_reason: line 2: expected true or false, got `maybe`"}},
		{"list for mapping", "slack: [a]\n",
			[]string{"slack: line 1: expected a mapping of keys to settings, got a list"}},
		{"duplicate key", "confirm:\n  by: role\n  by: requester\n",
			[]string{"confirm.by: duplicate key (line 3; first set on line 2)"}},
		{"root is a list", "- a\n- b\n",
			[]string{"config: line 1: the file must be a mapping of keys such as pools: and roles:, not a list"}},
		{"root is a scalar", "hello\n",
			[]string{"config: line 1: the file must be a mapping of keys such as pools: and roles:, not a single value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, minimalFor(tt.yaml)), goodEnv())
			assertProblems(t, problemsOf(t, err), tt.want)
		})
	}
}

// minimalFor returns the minimal valid file with the top-level sections in
// extra replacing its own, so a test can break one section at a time.
func minimalFor(extra string) string {
	if strings.HasPrefix(extra, "- ") || !strings.Contains(extra, ":") {
		return extra
	}
	var out []string
	skip := false
	for _, line := range strings.Split(strings.TrimLeft(minimal, "\n"), "\n") {
		if line != "" && line[0] != ' ' {
			name, _, _ := strings.Cut(line, ":")
			skip = strings.HasPrefix(extra, name+":") || strings.Contains(extra, "\n"+name+":")
		}
		if !skip {
			out = append(out, line)
		}
	}
	return extra + strings.Join(out, "\n")
}

func TestLoadExplicitZeroIsAProblemNotADefault(t *testing.T) {
	body := minimalFor("slack:\n  command: \"\"\n  group_refresh: 0s\nquotas:\n  user_list: 0\n  user_update: -1\nconfirm:\n  by: \"\"\n  expiry: -5m\n")
	_, err := Load(writeConfig(t, body), goodEnv())
	assertProblems(t, problemsOf(t, err), []string{
		"slack.command: must be a slash command",
		"slack.group_refresh: must be a positive duration",
		"quotas.user_list: must be a positive number",
		"quotas.user_update: must be a positive number",
		"confirm.by: must be \"requester\" or \"role\"",
		"confirm.expiry: must be a positive duration",
	})
}

func TestLoadNullMeansDefault(t *testing.T) {
	cfg, err := Load(writeConfig(t, minimalFor("slack:\n  command:\n  group_refresh:\n")), goodEnv())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if cfg.Slack.Command != DefaultCommand || cfg.Slack.GroupRefresh != DefaultGroupRefresh {
		t.Errorf("Slack = %v, want defaults", cfg.Slack)
	}
}
