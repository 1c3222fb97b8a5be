package config

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// validConfig returns a hand-built config that passes Validate, for tests
// to break one thing at a time.
func validConfig() *Config {
	c := &Config{
		Slack: Slack{AppToken: "xapp-1-x", BotToken: "xoxb-1-x"},
		Pools: []Pool{
			{Name: "prod", ID: "eu-west-1_AbCdEf123"},
			{Name: "staging", ID: "us-east-2_StG4gE987", Region: "us-east-2"},
		},
		Audit: Audit{Table: "cognito-bot-audit", StateTable: "cognito-bot-state"},
		Roles: []Role{
			{Name: "support", Actions: []Action{actions.Lookup, actions.ResetPassword},
				Members: []string{"U012AB3CD", "S0614TZR7"}, Channels: []string{"C0123456789"}},
			{Name: "admins", Actions: []Action{actions.Delete}, Members: []string{"W0ADMIN1"}},
		},
		Approvals: []ApprovalRule{
			{Action: actions.Delete, Approvers: []string{"U0APPROVER", "S0ADMINS"}, Channel: "C0APPROVALS"},
		},
		Actions: map[Action]ActionOptions{actions.ResetPassword: {RequireReason: true}},
	}
	c.ApplyDefaults()
	return c
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   []string // "key: message fragment", in Validate's order
	}{
		{"valid", func(*Config) {}, nil},
		{"command without slash", func(c *Config) { c.Slack.Command = "cognito" },
			[]string{"slack.command: must be a slash command"}},
		{"zero group refresh", func(c *Config) { c.Slack.GroupRefresh = 0 },
			[]string{"slack.group_refresh: must be a positive duration"}},
		{"no pools", func(c *Config) { c.Pools = nil },
			[]string{"pools: at least one pool is required"}},
		{"bad pool name", func(c *Config) { c.Pools[1].Name = "Staging EU" },
			[]string{"pools[1].name: must use only a-z, 0-9 and -"}},
		{"duplicate pool name", func(c *Config) { c.Pools[1].Name = "prod" },
			[]string{"pools[1].name: duplicate pool name \"prod\" (also pools[0])"}},
		{"missing pool id", func(c *Config) { c.Pools[0].ID = "" },
			[]string{"pools[0].id: required"}},
		{"bad pool id", func(c *Config) { c.Pools[0].ID = "eu-west-1-AbC" },
			[]string{"pools[0].id: is not a Cognito user pool id"}},
		{"region mismatch", func(c *Config) { c.Pools[1].Region = "eu-west-1" },
			[]string{"pools[1].region: \"eu-west-1\" does not match the pool id's region \"us-east-2\""}},
		{"missing tables", func(c *Config) { c.Audit.Table, c.Audit.StateTable = "", "" },
			[]string{"audit.table: required", "audit.state_table: required"}},
		{"bad table names", func(c *Config) { c.Audit.Table, c.Audit.StateTable = "ab", "audit log" },
			[]string{"audit.table: is not a DynamoDB table name", "audit.state_table: is not a DynamoDB table name"}},
		{"equal tables", func(c *Config) { c.Audit.StateTable = c.Audit.Table },
			[]string{"audit.state_table: must differ from audit.table"}},
		{"negative retention", func(c *Config) { c.Audit.Retention = -1 },
			[]string{"audit.retention: must be a positive duration"}},
		{"no roles", func(c *Config) { c.Roles, c.Approvals = nil, nil },
			[]string{"roles: at least one role is required"}},
		{"duplicate role", func(c *Config) { c.Roles[1].Name = "support" },
			[]string{"roles[1].name: duplicate role name \"support\" (also roles[0])"}},
		{"unnamed role", func(c *Config) { c.Roles[0].Name = "" },
			[]string{"roles[0].name: required"}},
		{"unknown action", func(c *Config) { c.Roles[0].Actions = []Action{"lookup", "reset_password", "*"} },
			[]string{"roles[0].actions[1]: unknown action \"reset_password\""}},
		{"bad member ids", func(c *Config) { c.Roles[0].Members = []string{"U012AB3CD", "u012ab3cd", "@alice", "C0123"} },
			[]string{"roles[0].members[1]: is not a Slack user id", "roles[0].members[2]: is not a Slack user id",
				"roles[0].members[3]: is not a Slack user id"}},
		{"bad channel id", func(c *Config) { c.Roles[0].Channels = []string{"#support", "D0DM1"} },
			[]string{"roles[0].channels[0]: is not a Slack channel id"}},
		{"confirm by", func(c *Config) { c.Confirm.By = "anyone" },
			[]string{"confirm.by: \"anyone\" must be \"requester\" or \"role\""}},
		{"confirm expiry", func(c *Config) { c.Confirm.Expiry = 0 },
			[]string{"confirm.expiry: must be a positive duration"}},
		{"approval unknown action", func(c *Config) { c.Approvals[0].Action = "nuke" },
			[]string{"approvals[0].action: unknown action \"nuke\""}},
		{"export may wait for an approval", func(c *Config) {
			c.Approvals[0].Action = actions.Export
			c.Roles[1].Actions = append(c.Roles[1].Actions, actions.Export)
		}, nil},
		{"approval for an action that cannot wait", func(c *Config) { c.Approvals[0].Action = actions.Create },
			[]string{"approvals[0].action: create cannot wait for an approval"}},
		{"approval missing action", func(c *Config) { c.Approvals[0].Action = "" },
			[]string{"approvals[0].action: required"}},
		{"approval for action nobody runs", func(c *Config) { c.Approvals[0].Action = actions.Disable },
			[]string{"approvals[0].action: no role may run disable"}},
		{"approval allowed through wildcard", func(c *Config) {
			c.Approvals[0].Action = actions.Disable
			c.Roles[1].Actions = []Action{AnyAction}
		}, nil},
		{"approval without approvers", func(c *Config) { c.Approvals[0].Approvers = nil },
			[]string{"approvals[0].approvers: at least one approver"}},
		{"approval bad approver", func(c *Config) { c.Approvals[0].Approvers = []string{"U0APPROVER", "admins"} },
			[]string{"approvals[0].approvers[1]: is not a Slack user id"}},
		{"approval without channel", func(c *Config) { c.Approvals[0].Channel = "" },
			[]string{"approvals[0].channel: required"}},
		{"approval in a DM", func(c *Config) { c.Approvals[0].Channel = "D0DM1" },
			[]string{"approvals[0].channel: \"D0DM1\" is not a Slack channel id (C… or G…)"}},
		{"approval expiry", func(c *Config) { c.Approvals[0].Expiry = -Duration(1) },
			[]string{"approvals[0].expiry: must be a positive duration"}},
		{"duplicate approval", func(c *Config) { c.Approvals = append(c.Approvals, c.Approvals[0]) },
			[]string{"approvals[1].action: duplicate approval rule for delete (also approvals[0])"}},
		{"unknown action options", func(c *Config) { c.Actions["nuke"] = ActionOptions{} },
			[]string{"actions.nuke: unknown action \"nuke\""}},
		{"reason required where none is asked", func(c *Config) {
			c.Actions[actions.Create] = ActionOptions{RequireReason: true}
			c.Actions[actions.Lookup] = ActionOptions{RequireReason: true}
		}, []string{"actions.create.require_reason: create never asks for a reason", "actions.lookup.require_reason: lookup never asks for a reason"}},
		{"reason required for jobs, imports and exports", func(c *Config) {
			for _, a := range []Action{actions.Bulk, actions.Import, actions.Export, actions.Disable} {
				c.Actions[a] = ActionOptions{RequireReason: true}
			}
		}, nil},
		{"bad quotas", func(c *Config) { c.Quotas.UserList, c.Quotas.UserPoolRead = 0, -3 },
			[]string{"quotas.user_list: must be a positive number", "quotas.user_pool_read: must be a positive number"}},
		{"allowed teams", func(c *Config) { c.Slack.AllowedTeams = []string{"T0HOME", "E0ORG"} }, nil},
		{"bad allowed teams", func(c *Config) { c.Slack.AllowedTeams = []string{"T0HOME", "acme.slack.com", "U0USER"} },
			[]string{`slack.allowed_teams[1]: "acme.slack.com" is not a Slack workspace id (T…) or organisation id (E…)`,
				`slack.allowed_teams[2]: "U0USER" is not a Slack workspace id`}},
		{"explicitly empty allowed teams", func(c *Config) { c.Slack.AllowedTeams = []string{} },
			[]string{"slack.allowed_teams: must list at least one id; leave it out to serve only the bot's own workspace"}},
		{"bad api url", func(c *Config) { c.Slack.APIURL = "http://localhost:8888/api" },
			[]string{"env.SLACK_API_URL: must end with /"}},
		{"api url over plain http to another host", func(c *Config) { c.Slack.APIURL = "http://slack-proxy.internal/api/" },
			[]string{"env.SLACK_API_URL: must use https:// unless it points to this machine"}},
		{"api url over plain http to a lookalike of localhost", func(c *Config) { c.Slack.APIURL = "http://localhost.attacker.example/api/" },
			[]string{"env.SLACK_API_URL: must use https://"}},
		{"api url over plain http to a public address", func(c *Config) { c.Slack.APIURL = "http://128.0.0.1:3334/api/" },
			[]string{"env.SLACK_API_URL: must use https://"}},
		{"api url over https", func(c *Config) { c.Slack.APIURL = "https://slack-proxy.internal/api/" }, nil},
		{"api url to loopback v4", func(c *Config) { c.Slack.APIURL = "http://127.0.0.1:3334/api/" }, nil},
		{"api url to loopback v4 elsewhere in 127/8", func(c *Config) { c.Slack.APIURL = "http://127.12.0.9:3334/api/" }, nil},
		{"api url to loopback v6", func(c *Config) { c.Slack.APIURL = "http://[::1]:3334/api/" }, nil},
		{"api url to localhost", func(c *Config) { c.Slack.APIURL = "http://LOCALHOST:3334/api/" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.mutate(c)
			assertProblems(t, c.Validate(), tt.want)
		})
	}
}

func TestApplyDefaultsKeepsSetValues(t *testing.T) {
	c := &Config{Slack: Slack{Command: "/idp"}, Quotas: Quotas{UserRead: 7}}
	c.ApplyDefaults()
	if c.Slack.Command != "/idp" || c.Quotas.UserRead != 7 || c.Quotas.UserList != DefaultQuotas().UserList {
		t.Errorf("ApplyDefaults changed set values or missed defaults: %+v %+v", c.Slack, c.Quotas)
	}
}

func TestProblemsErr(t *testing.T) {
	if err := Problems(nil).Err(); err != nil {
		t.Errorf("empty Problems.Err() = %v, want nil", err)
	}
	err := Problems{{"a.b", "bad"}, {"c", "worse"}}.Err()
	if got, want := err.Error(), "a.b: bad\nc: worse"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestValidateBulkApprovalAbove(t *testing.T) {
	bulkRule := ApprovalRule{Action: actions.Bulk, Approvers: []string{"U0LEAD"}, Channel: "C0APPROVALS", Expiry: DefaultApprovalExpiry}
	tests := []struct {
		name  string
		above int
		rules []ApprovalRule
		want  string
	}{
		{"a threshold with a bulk rule", 500, []ApprovalRule{bulkRule}, ""},
		{"every job with a bulk rule", 0, []ApprovalRule{bulkRule}, ""},
		{"a threshold and nobody to approve", 500, nil, "no approvals rule for action bulk"},
		{"negative", -1, []ApprovalRule{bulkRule}, "must be 0"},
		{"never reached", MaxBulkTargets, []ApprovalRule{bulkRule}, "would never apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			c.Roles[1].Actions = append(c.Roles[1].Actions, actions.Bulk)
			c.Approvals = append(c.Approvals, tt.rules...)
			c.Bulk.ApprovalAbove = tt.above
			got := c.Validate()
			switch {
			case tt.want == "" && len(got) > 0:
				t.Fatalf("Validate() = %v; want no problem", got)
			case tt.want != "" && (len(got) != 1 || got[0].Key != "bulk.approval_above" || !strings.Contains(got[0].Message, tt.want)):
				t.Fatalf("Validate() = %v; want bulk.approval_above: …%s…", got, tt.want)
			}
		})
	}
}
