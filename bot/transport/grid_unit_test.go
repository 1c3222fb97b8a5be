package transport

import (
	"context"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// In an Enterprise Grid install the bot identifies people by their
// organisation, but slack.allowed_teams may list a workspace (T…): the
// workspace a user acts from reaches the policy, so its users are served
// and the org's other workspaces are not — as the README says.
func TestGridWorkspaceListedInAllowedTeamsAdmitsItsUsers(t *testing.T) {
	cfg := &config.Config{
		Slack: config.Slack{AllowedTeams: []string{"T0GRIDWS"}},
		Roles: []config.Role{{Name: "support", Actions: []config.Action{"lookup"}, Members: []string{"W0GRIDUSER"}}},
	}
	p := rbac.New(cfg, nil)
	ask := func(cmd slack.SlashCommand) policy.Decision {
		req := RequestFromCommand(cmd, "env", time.Now())
		return p.Decide(context.Background(), pipeline.PolicyActor(req.Actor), policy.Request{Stage: policy.Run, Action: "lookup", Channel: "C1"})
	}
	if d := ask(slack.SlashCommand{UserID: "W0GRIDUSER", TeamID: "T0GRIDWS", EnterpriseID: "E0ORG"}); !d.Allowed() {
		t.Errorf("a user of the listed workspace of a Grid org was refused: %q", d.Reason)
	}
	if d := ask(slack.SlashCommand{UserID: "W0GRIDUSER", TeamID: "T0SISTER", EnterpriseID: "E0ORG"}); d.Allowed() {
		t.Error("a user acting from an unlisted workspace of the org was served")
	}
	// Clicks carry the same identity: the workspace travels with the requester.
	cb := slack.InteractionCallback{User: slack.User{ID: "W0GRIDUSER", TeamID: "T0GRIDWS"}}
	cb.Enterprise.ID = "E0ORG"
	a := actorOfCallback(cb)
	if a.TeamID != "E0ORG" || a.Workspace != "T0GRIDWS" {
		t.Errorf("callback actor = %+v; want the org as team and the workspace kept", a)
	}
}
