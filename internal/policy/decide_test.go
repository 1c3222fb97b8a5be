package policy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// groupMembers is the user groups of the tests; S1BROKEN cannot be looked up.
var groupMembers = map[string][]string{
	"S1SUPPORT": {"U2GROUPIE"},
	"S1ADMINS":  {"U2GROUPADMIN"},
}

// who is user in team T1 with the user groups looked up, as rbac does.
func who(user string) policy.Actor {
	return whoIn(user, "T1", "")
}

func whoIn(user, team, enterprise string) policy.Actor {
	in := map[string]bool{}
	for g, ids := range groupMembers {
		in[g] = slices.Contains(ids, user)
	}
	return policy.Actor{Identity: policy.Identity{UserID: user, TeamID: team, EnterpriseID: enterprise}, In: in}
}

// testConfig has one role of each shape the policy must handle.
func testConfig() *config.Config {
	c := &config.Config{
		Roles: []config.Role{
			{Name: "support", Actions: []config.Action{"lookup", "list", "reset-password"},
				Members: []string{"U1SUPPORT", "S1SUPPORT"}, Channels: []string{"C1SUPPORT", "C2SUPPORT"}},
			{Name: "admins", Actions: []config.Action{"*"}, Members: []string{"U1ADMIN", "S1ADMINS"}},
			{Name: "auditors", Actions: []config.Action{"audit"}, Members: []string{"S1BROKEN", "U1AUDITOR"}},
			{Name: "readers", Actions: []config.Action{"lookup"}, Members: []string{"U1READER", "U1SUPPORT"}},
			{Name: "admin-staging", Actions: []config.Action{"*"}, Members: []string{"U1STAGING"}, Pools: []string{"staging"}},
			{Name: "eu-support", Actions: []config.Action{"lookup", "disable"}, Members: []string{"U1EU", "U1STAGING"},
				Pools: []string{"eu", "eu-staging"}},
		},
		Approvals: []config.ApprovalRule{
			{Action: "delete", Approvers: []string{"U1APPROVER", "S1ADMINS"}, Channel: "C0APPROVALS"},
			{Action: "disable", Approvers: []string{"S1BROKEN"}, Channel: "C0APPROVALS"},
			{Action: "delete", Approvers: []string{"U1PRODLEAD"}, Channel: "C0PROD", Pools: []string{"prod"}},
		},
	}
	c.ApplyDefaults()
	return c
}

func run(a actions.Action, channel, pool string) policy.Request {
	return policy.Request{Stage: policy.Run, Action: a, Channel: channel, Pool: pool}
}

func TestRolesChannelsAndPools(t *testing.T) {
	tests := []struct {
		user, action, channel, pool string
		allowed                     bool
		reason                      string
		roles                       []string
	}{
		{"U1SUPPORT", "lookup", "C1SUPPORT", "", true, "", []string{"support", "readers"}},
		{"U1SUPPORT", "reset-password", "C2SUPPORT", "", true, "", []string{"support"}},
		{"U2GROUPIE", "list", "C1SUPPORT", "", true, "", []string{"support"}},
		{"U1SUPPORT", "reset-password", "C9ELSEWHERE", "", false, "support can only run commands in <#C1SUPPORT> or <#C2SUPPORT>", nil},
		{"U2GROUPIE", "lookup", "D0DIRECT", "", false, "support can only run commands in", nil},
		{"U1SUPPORT", "lookup", "C9ELSEWHERE", "", true, "", []string{"readers"}},
		{"U1SUPPORT", "delete", "C1SUPPORT", "", false, "your role does not allow delete", nil},
		{"U1READER", "list", "C1SUPPORT", "", false, "your role does not allow list", nil},
		{"U1ADMIN", "delete", "C9ELSEWHERE", "", true, "", []string{"admins"}},
		{"U2GROUPADMIN", "pools", "D0DIRECT", "", true, "", []string{"admins"}},
		{"U1AUDITOR", "audit", "C1", "", true, "", []string{"auditors"}},
		{"U9NOBODY", "audit", "C1", "", false, "could not check your Slack user group membership; try again shortly", nil},
		{"U9NOBODY", "lookup", "C1SUPPORT", "", false, "you have no role that allows lookup", nil},
		{"U9NOBODY", "help", "C9ELSEWHERE", "", true, "", nil},
		{"U1SUPPORT", "help", "C9ELSEWHERE", "", true, "", []string{"support", "readers"}},
		{"U1ADMIN", "nuke", "C1", "", false, "unknown action \"nuke\"", nil},
		{"U1ADMIN", "*", "C1", "", false, "unknown action \"*\"", nil},
		{"", "lookup", "C1SUPPORT", "", false, "unknown Slack user", nil},
		{"", "help", "C1SUPPORT", "", false, "unknown Slack user", nil},
		{"U1STAGING", "delete", "C1", "staging", true, "", []string{"admin-staging"}},
		{"U1STAGING", "delete", "C1", "prod", false, "your role admin-staging only covers pools staging", nil},
		{"U1STAGING", "lookup", "C1", "prod", false, "your role admin-staging only covers pools staging; your role eu-support only covers pools eu, eu-staging", nil},
		{"U1STAGING", "lookup", "C1", "", true, "", []string{"admin-staging", "eu-support"}},
		{"U1STAGING", "disable", "C1", "eu", true, "", []string{"eu-support"}},
		{"U1EU", "delete", "C1", "eu", false, "your role does not allow delete", nil},
		{"U1STAGING", "pools", "C1", "", true, "", []string{"admin-staging"}},
		{"U1ADMIN", "delete", "C1", "prod", true, "", []string{"admins"}},
	}
	p := policy.New(testConfig())
	for _, tt := range tests {
		d := p.Decide(who(tt.user), run(actions.Action(tt.action), tt.channel, tt.pool))
		if d.Allowed() != tt.allowed || !strings.Contains(d.Reason, tt.reason) {
			t.Errorf("Decide(%s, %s, %s, %q) = %v %q, want %v %q", tt.user, tt.action, tt.channel, tt.pool, d.Verdict, d.Reason, tt.allowed, tt.reason)
		}
		if tt.allowed && !slices.Equal(d.Roles, tt.roles) {
			t.Errorf("Decide(%s, %s).Roles = %v, want %v", tt.user, tt.action, d.Roles, tt.roles)
		}
	}
}

func TestActionsAgreeWithDecide(t *testing.T) {
	p := policy.New(testConfig())
	want := map[string][]config.Action{
		"U1SUPPORT/C1SUPPORT":   {"help", "lookup", "list", "reset-password"},
		"U1SUPPORT/C9ELSEWHERE": {"help", "lookup"},
		"U2GROUPADMIN/D0DIRECT": config.AllActions,
		"U1AUDITOR/C1":          {"help", "audit"},
		"U9NOBODY/C1":           {"help"},
		"/C1":                   nil,
		"U1STAGING/C1/staging":  config.AllActions,
		"U1STAGING/C1/eu":       {"help", "lookup", "disable"},
		"U1STAGING/C1/prod":     {"help"},
		"U1ADMIN/C1/prod":       config.AllActions,
	}
	for key, w := range want {
		user, rest, _ := strings.Cut(key, "/")
		channel, pool, _ := strings.Cut(rest, "/")
		got := p.Actions(who(user), channel, pool)
		if !slices.Equal(got, w) {
			t.Errorf("Actions(%s) = %v, want %v", key, got, w)
		}
	}
}

// TestAllowedTeams checks slack.allowed_teams: users of a listed workspace,
// or of any workspace of a listed Enterprise Grid organisation, are served;
// a workspace of a Grid organisation may be listed by itself; everyone else,
// such as a Slack Connect user from another company whose user id happens
// to be configured, is told the bot does not serve them.
func TestAllowedTeams(t *testing.T) {
	cfg := testConfig()
	cfg.Slack.AllowedTeams = []string{"T1", "E1ORG", "T8GRIDWS"}
	p := policy.New(cfg)
	for _, tt := range []struct {
		actor   policy.Actor
		allowed bool
	}{
		{whoIn("U1ADMIN", "T1", ""), true},
		{whoIn("U1ADMIN", "T7GRID", "E1ORG"), true},
		{whoIn("U1ADMIN", "T8GRIDWS", "E2OTHERORG"), true},
		{whoIn("U1ADMIN", "T2OTHER", ""), false},
		{whoIn("U1ADMIN", "T2OTHER", "E2OTHER"), false},
		{whoIn("U1ADMIN", "", ""), false},
	} {
		d := p.Decide(tt.actor, run("lookup", "C1", "prod"))
		if d.Allowed() != tt.allowed || (!tt.allowed && d.Reason != "cognito-bot does not serve your workspace") {
			t.Errorf("Decide(%+v) = %v %q, want %v", tt.actor.Identity, d.Verdict, d.Reason, tt.allowed)
		}
	}
	replaced := policy.New(cfg, policy.WithTeams("T5HOME"))
	if replaced.Decide(whoIn("U1ADMIN", "T1", ""), run("lookup", "C1", "")).Allowed() {
		t.Error("WithTeams did not replace slack.allowed_teams")
	}
	if !replaced.Decide(whoIn("U1ADMIN", "T5HOME", ""), run("lookup", "C1", "")).Allowed() {
		t.Error("WithTeams team denied")
	}
	if replaced.Decide(whoIn("U1APPROVER", "T2OTHER", ""), policy.Request{Stage: policy.Review, Action: "delete"}).Allowed() {
		t.Error("other team may approve")
	}
	if got := replaced.Actions(whoIn("U1ADMIN", "T2OTHER", ""), "C1", ""); got != nil {
		t.Errorf("Actions for other team = %v, want none", got)
	}
	if !policy.New(nil).Decide(who("U1ADMIN"), run("help", "C1", "")).Allowed() || policy.New(nil).Decide(who("U1ADMIN"), run("lookup", "C1", "")).Allowed() {
		t.Error("nil config: want help allowed and lookup denied")
	}
}

func TestReview(t *testing.T) {
	review := func(approver, requester policy.Actor, a actions.Action, pool string) policy.Decision {
		return policy.New(testConfig()).Decide(approver, policy.Request{Stage: policy.Review, Action: a, Pool: pool, Requester: &requester})
	}
	support := who("U1SUPPORT")
	for _, tt := range []struct {
		approver, requester policy.Actor
		action              actions.Action
		pool                string
		allowed             bool
		reason              string
	}{
		{who("U1APPROVER"), support, "delete", "staging", true, ""},
		{who("U2GROUPADMIN"), support, "delete", "staging", true, ""},
		{support, who("U1READER"), "delete", "staging", false, "you are not an approver for delete in pool staging"},
		{who("U1ADMIN"), support, "delete", "staging", false, "you are not an approver for delete"},
		{who("U1APPROVER"), support, "lookup", "staging", false, "lookup in pool staging does not need approval"},
		{who("U1APPROVER"), support, "disable", "staging", false, "could not check your Slack user group membership"},
		{who("U1APPROVER"), who("U1APPROVER"), "delete", "staging", false, "you cannot approve your own request"},
		{whoIn("U1APPROVER", "T2GRID", ""), who("U1APPROVER"), "delete", "staging", false, "you cannot approve your own request"},
		{who("U1APPROVER"), who("U1APPROVER2"), "delete", "staging", true, ""},
		{whoIn("", "", ""), whoIn("", "", ""), "delete", "staging", false, "unknown Slack user"},
		{who("U1PRODLEAD"), support, "delete", "prod", true, ""},
		{who("U1PRODLEAD"), support, "delete", "staging", false, "you are not an approver for delete in pool staging"},
		{who("U1APPROVER"), support, "delete", "prod", false, "you are not an approver for delete in pool prod"},
		{who("U1APPROVER"), support, "delete", "", true, ""},
	} {
		d := review(tt.approver, tt.requester, tt.action, tt.pool)
		if d.Allowed() != tt.allowed || !strings.Contains(d.Reason, tt.reason) {
			t.Errorf("review(%s by %s, %s, %q) = %v %q, want %v %q", tt.approver.UserID, tt.requester.UserID, tt.action, tt.pool, d.Verdict, d.Reason, tt.allowed, tt.reason)
		}
	}
}

// TestApprovalForPool checks which approval rule guards an action in a pool:
// a rule naming the pool beats a rule for every pool, a pool named by no
// rule falls back to the rule for every pool, and an action without a pool
// ("") still counts as guarded if any rule guards it.
func TestApprovalForPool(t *testing.T) {
	p := policy.New(&config.Config{Approvals: []config.ApprovalRule{
		{Action: "delete", Approvers: []string{"U0EVERYWHERE"}, Channel: "C0ALL"},
		{Action: "delete", Approvers: []string{"U0PRODLEAD"}, Channel: "C0PROD", Pools: []string{"prod"}, RequireReason: true},
		{Action: "disable", Approvers: []string{"U0PRODLEAD"}, Channel: "C0PROD", Pools: []string{"prod", "eu"}},
	}})
	for _, tt := range []struct {
		action  actions.Action
		pool    string
		channel string // of the rule found; "" for none
	}{
		{"delete", "prod", "C0PROD"}, {"delete", "staging", "C0ALL"}, {"delete", "", "C0ALL"},
		{"disable", "eu", "C0PROD"}, {"disable", "staging", ""}, {"disable", "", "C0PROD"}, {"lookup", "prod", ""},
	} {
		r, ok := p.ApprovalFor(tt.action, tt.pool)
		if ok != (tt.channel != "") || r.Channel != tt.channel {
			t.Errorf("ApprovalFor(%s, %q) = %q, %v; want the rule posting to %q", tt.action, tt.pool, r.Channel, ok, tt.channel)
		}
	}
}
