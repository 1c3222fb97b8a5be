package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	pol "github.com/cognito-bot/cognito-bot/internal/policy"
)

// fakeAuthTest serves Slack's auth.test with body and counts the calls.
func fakeAuthTest(t *testing.T, body string) (*slack.Client, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/auth.test" {
			http.NotFound(w, r)
			return
		}
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return slack.New("xoxb-test", slack.OptionAPIURL(srv.URL+"/api/")), &calls
}

func teamsConfig(allowed ...string) *config.Config {
	cfg := &config.Config{
		Slack: config.Slack{AllowedTeams: allowed},
		Pools: []config.Pool{{Name: "prod", ID: "eu-west-1_AbCdEf123"}},
		Roles: []config.Role{{Name: "admin", Actions: []config.Action{config.AnyAction}, Members: []string{"U0ADMIN1"}}},
	}
	cfg.ApplyDefaults()
	return cfg
}

// TestPolicyServesOnlyTheBotsOwnWorkspaceByDefault checks the start-up
// wiring: without slack.allowed_teams the bot asks Slack which workspace
// (and Grid organisation) it is installed in and serves only those, so a
// Slack Connect user from another company is refused even if their user id
// appears in a role.
func TestPolicyServesOnlyTheBotsOwnWorkspaceByDefault(t *testing.T) {
	api, calls := fakeAuthTest(t, `{"ok":true,"team_id":"T0HOME","enterprise_id":"E0ORG","user_id":"U0BOT","bot_id":"B0BOT"}`)
	policy, teams, err := newPolicy(context.Background(), teamsConfig(), api, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(teams, []string{"T0HOME", "E0ORG"}) || calls.Load() != 1 {
		t.Errorf("served teams = %v after %d auth.test calls, want [T0HOME E0ORG] after 1", teams, calls.Load())
	}
	tests := []struct {
		actor   pol.Actor
		allowed bool
	}{
		{pol.Actor{Identity: pol.Identity{UserID: "U0ADMIN1", TeamID: "T0HOME"}}, true},
		{pol.Actor{Identity: pol.Identity{UserID: "U0ADMIN1", TeamID: "T0SISTER", EnterpriseID: "E0ORG"}}, true},
		{pol.Actor{Identity: pol.Identity{UserID: "U0ADMIN1", TeamID: "T9PARTNER"}}, false},
	}
	for _, tt := range tests {
		d := policy.Decide(context.Background(), tt.actor, pol.Request{Stage: pol.Run, Action: actions.Delete, Channel: "C1", Pool: "prod"})
		if d.Allowed() != tt.allowed || (!tt.allowed && d.Reason != "cognito-bot does not serve your workspace") {
			t.Errorf("Allow(%+v) = %v %q, want %v", tt.actor, d.Verdict, d.Reason, tt.allowed)
		}
	}
}

func TestPolicyUsesConfiguredTeamsWithoutAskingSlack(t *testing.T) {
	api, calls := fakeAuthTest(t, `{"ok":true,"team_id":"T0HOME"}`)
	policy, teams, err := newPolicy(context.Background(), teamsConfig("T0HOME", "T0PARTNER"), api, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(teams, []string{"T0HOME", "T0PARTNER"}) || calls.Load() != 0 {
		t.Errorf("served teams = %v after %d auth.test calls, want the configured ones and no call", teams, calls.Load())
	}
	if d := policy.Decide(context.Background(), pol.Actor{Identity: pol.Identity{UserID: "U0ADMIN1", TeamID: "T0PARTNER"}}, pol.Request{Stage: pol.Run, Action: actions.Lookup, Channel: "C1", Pool: "prod"}); !d.Allowed() {
		t.Errorf("configured partner team denied: %q", d.Reason)
	}
}

func TestPolicyFailsWhenSlackCannotSayWhichWorkspace(t *testing.T) {
	for _, body := range []string{`{"ok":false,"error":"invalid_auth"}`, `{"ok":true,"team_id":""}`} {
		api, _ := fakeAuthTest(t, body)
		if _, _, err := newPolicy(context.Background(), teamsConfig(), api, nil); err == nil {
			t.Errorf("auth.test answering %s: want an error, so the bot does not start serving everyone", body)
		}
	}
}
