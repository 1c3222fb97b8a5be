package sandbox

import (
	"github.com/cognito-bot/cognito-bot/internal/policy"
	"strings"
	"testing"
	"time"
)

func TestSeedCoversEveryStateAVisitorShouldSee(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 14, 12, 0, 0, 0, time.UTC)
	people := SeedPeople(now)
	if len(people) < 190 || len(people) > 220 {
		t.Fatalf("seeded %d people, want about 200", len(people))
	}
	seen := map[string]bool{}
	has := map[string]int{}
	for _, p := range people {
		if seen[p.Username] {
			t.Errorf("username %s seeded twice", p.Username)
		}
		seen[p.Username] = true
		has[p.Status]++
		switch {
		case p.InvitationExpired(now):
			has["expired invitation"]++
		case p.Status == StatusForceChange:
			has["fresh invitation"]++
		}
		if !p.Enabled {
			has["disabled"]++
		}
		if len(p.Groups) > 0 {
			has["groups"]++
		}
		if p.Phone != "" {
			has["phone"]++
		}
		for k := range p.Attributes {
			if strings.HasPrefix(k, "custom:") {
				has["custom attributes"]++
				break
			}
		}
		if p.Modified.Before(p.Created) || p.Modified.After(now) {
			t.Errorf("%s was modified at %s, outside %s…%s", p.Username, p.Modified, p.Created, now)
		}
	}
	for _, want := range []string{StatusConfirmed, StatusUnconfirmed, StatusForceChange, StatusResetRequired, StatusExternal,
		"fresh invitation", "expired invitation", "disabled", "groups", "phone", "custom attributes"} {
		if has[want] < 3 {
			t.Errorf("only %d seeded users with %s", has[want], want)
		}
	}
	for _, name := range []string{"alice", "bob", "frank"} {
		if !seen[name] {
			t.Errorf("the demo user %s is missing", name)
		}
	}
	if again := SeedPeople(now); again[100].Username != people[100].Username {
		t.Error("the same day should seed the same people")
	}
}

func TestSandboxConfigLoadsThroughTheProductionLoader(t *testing.T) {
	t.Parallel()
	cfg, text, err := LoadConfig("us-east-1_Other123", "http://127.0.0.1:1/api/", "xapp-1-x", "xoxb-x")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DefaultPool().ID != "us-east-1_Other123" || !strings.Contains(text, "us-east-1_Other123") {
		t.Errorf("pool id not replaced: %s", cfg.DefaultPool().ID)
	}
	rule, ok := policy.New(cfg).ApprovalFor("delete", cfg.DefaultPool().Name)
	if !ok || rule.Channel != ChannelApprovals || len(rule.Approvers) != 1 || rule.Approvers[0] != "U0SBAPPROVER" {
		t.Errorf("delete should need Abe's approval in #approvals, got %+v", rule)
	}
	roles := map[string]bool{}
	for _, r := range cfg.Roles {
		for _, m := range r.Members {
			if _, ok := personaByID(m); ok {
				roles[r.Name] = true
			}
		}
	}
	for _, p := range Personas {
		if !roles[p.Role] {
			t.Errorf("persona %s has no role %s in the sandbox config", p.Name, p.Role)
		}
	}
}

// InvitationExpired reports whether an invited user's temporary password has
// lapsed (Cognito invitations are valid for 7 days by default).
func (p Person) InvitationExpired(now time.Time) bool {
	return p.Status == StatusForceChange && now.Sub(p.Modified) > invitationLifetime
}
