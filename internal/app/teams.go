package app

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// authTester is the one Web API call start-up needs to learn which workspace
// the bot is installed in; *slack.Client has it.
type authTester interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
}

// newPolicy compiles the roles and approvals and limits them to the served
// workspaces (see servedTeams), which it also returns for the start-up log.
func newPolicy(ctx context.Context, cfg *config.Config, api authTester, groups rbac.GroupResolver) (*rbac.Policy, []string, error) {
	teams, err := servedTeams(ctx, cfg, api)
	if err != nil {
		return nil, nil, err
	}
	return rbac.New(cfg, groups, policy.WithTeams(teams...)), teams, nil
}

// servedTeams returns the workspace (T…) and organisation (E…) ids whose
// users the bot serves: slack.allowed_teams if set, else the bot's own
// workspace and Enterprise Grid organisation as auth.test reports them. That
// default is what keeps users of other organisations in Slack Connect
// channels out. An error means the bot cannot know whom it serves, so it
// must not start.
func servedTeams(ctx context.Context, cfg *config.Config, api authTester) ([]string, error) {
	if len(cfg.Slack.AllowedTeams) > 0 {
		return slices.Clone(cfg.Slack.AllowedTeams), nil
	}
	res, err := api.AuthTestContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("asking Slack which workspace the bot is installed in (auth.test): %w", err)
	}
	if res.TeamID == "" {
		return nil, errors.New("asking Slack which workspace the bot is installed in: auth.test returned no team id; set slack.allowed_teams")
	}
	teams := []string{res.TeamID}
	if res.EnterpriseID != "" {
		teams = append(teams, res.EnterpriseID)
	}
	return teams, nil
}
