package rbac_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// fakeGroups is a GroupResolver backed by a map; groups listed in broken
// fail to resolve.
type fakeGroups struct {
	mu      sync.Mutex
	members map[string][]string
	broken  map[string]bool
	calls   map[string]int
}

func (f *fakeGroups) Members(_ context.Context, id string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[id]++
	if f.broken[id] {
		return nil, errors.New("slack: ratelimited")
	}
	return f.members[id], nil
}

func newGroups() *fakeGroups {
	return &fakeGroups{
		members: map[string][]string{
			"S1SUPPORT": {"U2GROUPIE"},
			"S1ADMINS":  {"U2GROUPADMIN"},
		},
		broken: map[string]bool{"S1BROKEN": true},
	}
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

type allowCase struct {
	user    string
	action  config.Action
	channel string
	pool    string // "" for an action about no pool
	allowed bool
	reason  string // fragment of Decision.Reason
	roles   []string
}

func allowed(user string, a config.Action, channel string, roles ...string) allowCase {
	return allowCase{user: user, action: a, channel: channel, allowed: true, roles: roles}
}

func denied(user string, a config.Action, channel, reason string) allowCase {
	return allowCase{user: user, action: a, channel: channel, reason: reason}
}

// in sets the pool the action is about.
func (c allowCase) in(pool string) allowCase {
	c.pool = pool
	return c
}

func TestAllow(t *testing.T) {
	tests := []allowCase{
		allowed("U1SUPPORT", "lookup", "C1SUPPORT", "support", "readers"),
		allowed("U1SUPPORT", "reset-password", "C2SUPPORT", "support"),
		allowed("U2GROUPIE", "list", "C1SUPPORT", "support"),
		denied("U1SUPPORT", "reset-password", "C9ELSEWHERE", "support can only run commands in <#C1SUPPORT> or <#C2SUPPORT>"),
		denied("U2GROUPIE", "lookup", "D0DIRECT", "support can only run commands in"),
		allowed("U1SUPPORT", "lookup", "C9ELSEWHERE", "readers"),
		denied("U1SUPPORT", "delete", "C1SUPPORT", "your role does not allow delete"),
		denied("U1READER", "list", "C1SUPPORT", "your role does not allow list"),
		allowed("U1ADMIN", "delete", "C9ELSEWHERE", "admins"),
		allowed("U2GROUPADMIN", "pools", "D0DIRECT", "admins"),
		allowed("U1AUDITOR", "audit", "C1", "auditors"),
		denied("U9NOBODY", "audit", "C1", "could not check your Slack user group membership; try again shortly"),
		denied("U9NOBODY", "lookup", "C1SUPPORT", "you have no role that allows lookup"),
		allowed("U9NOBODY", "help", "C9ELSEWHERE"),
		allowed("U1SUPPORT", "help", "C9ELSEWHERE", "support", "readers"),
		denied("U1ADMIN", "nuke", "C1", "unknown action \"nuke\""),
		denied("U1ADMIN", "*", "C1", "unknown action \"*\""),
		denied("", "lookup", "C1SUPPORT", "unknown Slack user"),
		denied("", "help", "C1SUPPORT", "unknown Slack user"),
		allowed("U1STAGING", "delete", "C1", "admin-staging").in("staging"),
		denied("U1STAGING", "delete", "C1", "your role admin-staging only covers pools staging").in("prod"),
		denied("U1STAGING", "lookup", "C1", "your role admin-staging only covers pools staging; "+
			"your role eu-support only covers pools eu, eu-staging").in("prod"),
		allowed("U1STAGING", "lookup", "C1", "admin-staging").in("staging"),
		allowed("U1STAGING", "lookup", "C1", "admin-staging", "eu-support"),
		allowed("U1STAGING", "disable", "C1", "eu-support").in("eu"),
		denied("U1STAGING", "delete", "C1", "your role admin-staging only covers pools staging").in("eu"),
		denied("U1EU", "delete", "C1", "your role does not allow delete").in("eu"),
		allowed("U1STAGING", "pools", "C1", "admin-staging"),
		allowed("U1STAGING", "audit", "C1", "admin-staging"),
		allowed("U1ADMIN", "delete", "C1", "admins").in("prod"),
		allowed("U1SUPPORT", "lookup", "C9ELSEWHERE", "readers").in("prod"),
	}
	p := rbac.New(testConfig(), newGroups())
	for _, tt := range tests {
		d := p.Allow(context.Background(), rbac.Actor{UserID: tt.user, TeamID: "T1"}, tt.action, tt.channel, tt.pool)
		if d.Allowed != tt.allowed || !strings.Contains(d.Reason, tt.reason) {
			t.Errorf("Allow(%s, %s, %s, %q) = %v %q, want %v %q", tt.user, tt.action, tt.channel, tt.pool, d.Allowed, d.Reason, tt.allowed, tt.reason)
		}
		if tt.allowed && !slices.Equal(d.Roles, tt.roles) {
			t.Errorf("Allow(%s, %s, %s, %q).Roles = %v, want %v", tt.user, tt.action, tt.channel, tt.pool, d.Roles, tt.roles)
		}
	}
}

func TestAllowedActionsAgreesWithAllow(t *testing.T) {
	p := rbac.New(testConfig(), newGroups())
	ctx := context.Background()
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
		"U1STAGING/C1":          config.AllActions,
		"U1ADMIN/C1/prod":       config.AllActions,
	}
	for key, w := range want {
		user, rest, _ := strings.Cut(key, "/")
		channel, pool, _ := strings.Cut(rest, "/")
		actor := rbac.Actor{UserID: user, TeamID: "T1"}
		got := p.AllowedActions(ctx, actor, channel, pool)
		if !slices.Equal(got, w) {
			t.Errorf("AllowedActions(%s) = %v, want %v", key, got, w)
		}
		for _, a := range config.AllActions {
			if d := p.Allow(ctx, actor, a, channel, pool); d.Allowed != slices.Contains(got, a) {
				t.Errorf("%s: Allow(%s) = %v but AllowedActions says %v", key, a, d.Allowed, !d.Allowed)
			}
		}
	}
}

func TestAllowWithoutResolverMatchesOnlyUserIDs(t *testing.T) {
	p := rbac.New(testConfig(), nil)
	ctx := context.Background()
	if d := p.Allow(ctx, rbac.Actor{UserID: "U1ADMIN"}, "delete", "C1", ""); !d.Allowed {
		t.Errorf("direct member denied: %q", d.Reason)
	}
	if d := p.Allow(ctx, rbac.Actor{UserID: "U2GROUPADMIN"}, "delete", "C1", ""); d.Allowed ||
		!strings.Contains(d.Reason, "could not check your Slack user group membership") {
		t.Errorf("group member without resolver = %v %q, want denied", d.Allowed, d.Reason)
	}
}

func TestAllowNilConfigAllowsOnlyHelp(t *testing.T) {
	p := rbac.New(nil, nil)
	actor := rbac.Actor{UserID: "U1ADMIN"}
	if !p.Allow(context.Background(), actor, "help", "C1", "").Allowed || p.Allow(context.Background(), actor, "lookup", "C1", "").Allowed {
		t.Error("nil config: want help allowed and lookup denied")
	}
}

func TestWithTeams(t *testing.T) {
	p := rbac.New(testConfig(), newGroups(), rbac.WithTeams("T1"))
	ctx := context.Background()
	if d := p.Allow(ctx, rbac.Actor{UserID: "U1ADMIN", TeamID: "T1"}, "delete", "C1", ""); !d.Allowed {
		t.Errorf("home team denied: %q", d.Reason)
	}
	for _, a := range []config.Action{"delete", "help"} {
		if d := p.Allow(ctx, rbac.Actor{UserID: "U1ADMIN", TeamID: "T2OTHER"}, a, "C1", ""); d.Allowed {
			t.Errorf("other team allowed %s", a)
		}
	}
	if d := p.CanApprove(ctx, rbac.Actor{UserID: "U1APPROVER", TeamID: "T2OTHER"}, "delete", "staging"); d.Allowed {
		t.Error("other team may approve")
	}
	if got := p.AllowedActions(ctx, rbac.Actor{UserID: "U1ADMIN", TeamID: "T2OTHER"}, "C1", ""); got != nil {
		t.Errorf("AllowedActions for other team = %v, want none", got)
	}
}

func TestGroupsResolvedOncePerDecision(t *testing.T) {
	g := newGroups()
	cfg := testConfig()
	cfg.Roles = append(cfg.Roles, config.Role{Name: "more", Actions: []config.Action{"list"}, Members: []string{"S1SUPPORT"}})
	p := rbac.New(cfg, g)
	p.Allow(context.Background(), rbac.Actor{UserID: "U9NOBODY"}, "list", "C1SUPPORT", "")
	if n := g.calls["S1SUPPORT"]; n != 1 {
		t.Errorf("S1SUPPORT fetched %d times in one decision, want 1", n)
	}
}

// TestAllowedTeams checks slack.allowed_teams: users of a listed workspace,
// or of any workspace of a listed Enterprise Grid organisation, are served;
// everyone else, such as a Slack Connect user from another company whose
// user id happens to be configured, is told the bot does not serve them.
func TestAllowedTeams(t *testing.T) {
	cfg := testConfig()
	cfg.Slack.AllowedTeams = []string{"T1", "E1ORG"}
	p := rbac.New(cfg, newGroups())
	ctx := context.Background()
	tests := []struct {
		actor   rbac.Actor
		allowed bool
	}{
		{rbac.Actor{UserID: "U1ADMIN", TeamID: "T1"}, true},
		{rbac.Actor{UserID: "U1ADMIN", TeamID: "T7GRID", EnterpriseID: "E1ORG"}, true},
		{rbac.Actor{UserID: "U1ADMIN", TeamID: "T2OTHER"}, false},
		{rbac.Actor{UserID: "U1ADMIN", TeamID: "T2OTHER", EnterpriseID: "E2OTHER"}, false},
		{rbac.Actor{UserID: "U1ADMIN"}, false},
	}
	for _, tt := range tests {
		d := p.Allow(ctx, tt.actor, "lookup", "C1", "prod")
		if d.Allowed != tt.allowed {
			t.Errorf("Allow(%+v) = %v %q, want %v", tt.actor, d.Allowed, d.Reason, tt.allowed)
		}
		if !tt.allowed && d.Reason != "cognito-bot does not serve your workspace" {
			t.Errorf("Allow(%+v) reason %q", tt.actor, d.Reason)
		}
	}
	replaced := rbac.New(cfg, newGroups(), rbac.WithTeams("T5HOME"))
	if d := replaced.Allow(ctx, rbac.Actor{UserID: "U1ADMIN", TeamID: "T1"}, "lookup", "C1", ""); d.Allowed {
		t.Error("WithTeams did not replace slack.allowed_teams")
	}
	if d := replaced.Allow(ctx, rbac.Actor{UserID: "U1ADMIN", TeamID: "T5HOME"}, "lookup", "C1", ""); !d.Allowed {
		t.Errorf("WithTeams team denied: %q", d.Reason)
	}
}
