package rbac_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
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

func testConfig() *config.Config {
	c := &config.Config{
		Roles: []config.Role{
			{Name: "support", Actions: []config.Action{"lookup", "list"}, Members: []string{"S1SUPPORT"}},
			{Name: "admins", Actions: []config.Action{"*"}, Members: []string{"U1ADMIN", "S1ADMINS"}},
			{Name: "auditors", Actions: []config.Action{"audit"}, Members: []string{"S1BROKEN", "U1AUDITOR"}},
			{Name: "more", Actions: []config.Action{"list"}, Members: []string{"S1SUPPORT"}},
		},
		Approvals: []config.ApprovalRule{{Action: "delete", Approvers: []string{"S1ADMINS"}, Channel: "C0APPROVALS"}},
	}
	c.ApplyDefaults()
	return c
}

func ask(user string, a config.Action) (policy.Actor, policy.Request) {
	return policy.Actor{Identity: policy.Identity{UserID: user, TeamID: "T1"}},
		policy.Request{Stage: policy.Run, Action: a, Channel: "C1"}
}

// The groups the configuration names are looked up for the policy: a member
// through a group is allowed, a group that cannot be looked up denies what
// depended on it, and without a resolver only direct ids match.
func TestDecideLooksUpTheUserGroupsTheConfigNames(t *testing.T) {
	p := rbac.New(testConfig(), newGroups())
	ctx := context.Background()
	for _, tt := range []struct {
		user    string
		action  config.Action
		allowed bool
		reason  string
	}{
		{"U2GROUPIE", "list", true, "allowed by roles support, more"},
		{"U2GROUPADMIN", "delete", true, "allowed by role admins"},
		{"U1AUDITOR", "audit", true, "auditors"},
		{"U9NOBODY", "audit", false, "could not check your Slack user group membership"},
		{"U9NOBODY", "lookup", false, "you have no role that allows lookup"},
	} {
		actor, r := ask(tt.user, tt.action)
		d := p.Decide(ctx, actor, r)
		if d.Allowed() != tt.allowed || !strings.Contains(d.Reason, tt.reason) {
			t.Errorf("Decide(%s, %s) = %v %q; want %v %q", tt.user, tt.action, d.Verdict, d.Reason, tt.allowed, tt.reason)
		}
	}
	approver := policy.Actor{Identity: policy.Identity{UserID: "U2GROUPADMIN", TeamID: "T1"}}
	requester := policy.Actor{Identity: policy.Identity{UserID: "U1ADMIN", TeamID: "T1"}}
	if d := p.Decide(ctx, approver, policy.Request{Stage: policy.Review, Action: "delete", Requester: &requester}); !d.Allowed() {
		t.Errorf("an approver through a group was refused: %q", d.Reason)
	}
	got := p.Actions(ctx, policy.Actor{Identity: policy.Identity{UserID: "U2GROUPIE", TeamID: "T1"}}, "C1", "")
	if strings.Join(actionNames(got), " ") != "help lookup list" {
		t.Errorf("Actions(U2GROUPIE) = %v; want help lookup list", got)
	}
}

func actionNames(as []config.Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

func TestWithoutResolverOnlyUserIDsMatch(t *testing.T) {
	p := rbac.New(testConfig(), nil)
	ctx := context.Background()
	if d := p.Decide(ctx, policy.Actor{Identity: policy.Identity{UserID: "U1ADMIN"}}, policy.Request{Stage: policy.Run, Action: "delete"}); !d.Allowed() {
		t.Errorf("direct member denied: %q", d.Reason)
	}
	d := p.Decide(ctx, policy.Actor{Identity: policy.Identity{UserID: "U2GROUPADMIN"}}, policy.Request{Stage: policy.Run, Action: "delete"})
	if d.Allowed() || !strings.Contains(d.Reason, "could not check your Slack user group membership") {
		t.Errorf("group member without resolver = %v %q, want denied", d.Verdict, d.Reason)
	}
}

func TestGroupsResolvedOncePerDecision(t *testing.T) {
	g := newGroups()
	p := rbac.New(testConfig(), g)
	requester := policy.Actor{Identity: policy.Identity{UserID: "U1ADMIN", TeamID: "T1"}}
	actor, r := ask("U9NOBODY", "list")
	r.Requester = &requester
	p.Decide(context.Background(), actor, r)
	if n := g.calls["S1SUPPORT"]; n != 2 {
		t.Errorf("S1SUPPORT fetched %d times for one decision about two people, want 2 (once each)", n)
	}
}
