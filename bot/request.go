package bot

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
)

// request is one user interaction, reduced to what the bot needs. Identity is the
// Slack user id plus one team id, the same for commands and clicks; the display
// name is for messages only.
type request struct {
	Actor       audit.Actor
	Channel     string
	EnvelopeID  string
	Ref         string // stable across redeliveries of the same interaction
	ResponseURL string
	TriggerID   string
	FromMessage bool   // true for clicks: a reply may replace the message clicked
	MessageTS   string // the clicked message, for threaded notes on shared cards
	Ephemeral   bool   // the clicked message was ephemeral
	// CallerVerified: the clicked message's "The caller confirmed these" box
	// was ticked (its state came with the click).
	CallerVerified bool
	// FromHome: the click came from the person's Home tab, which is then
	// published again to show what changed.
	FromHome bool
	Arrived  time.Time // when the envelope arrived; the work deadline starts here
}

// pipe is the request as the pipeline sees it.
func (r *request) pipe() pipeline.Request {
	return pipeline.Request{Actor: r.Actor, Channel: r.Channel, EnvelopeID: r.EnvelopeID, Ref: r.Ref}
}

// identityTeam is the team the bot compares for one person everywhere: the
// Enterprise Grid org when there is one (a Grid user keeps one identity across
// the org's workspaces, so their buttons work and their audit history does not
// split), else their own workspace. A Slack Connect user from another
// organisation keeps their own team, which the policy does not admit by default.
func identityTeam(enterprise, team string) string { return firstNonEmpty(enterprise, team) }

// gridWorkspace is the workspace a Grid user acts from, kept beside their
// organisation so slack.allowed_teams may list either; "" outside Grid.
func gridWorkspace(enterprise, team string) string {
	if enterprise == "" {
		return ""
	}
	return team
}

func requestFromCommand(cmd slack.SlashCommand, envelopeID string, arrived time.Time) *request {
	return &request{
		Actor: audit.Actor{UserID: cmd.UserID, TeamID: identityTeam(cmd.EnterpriseID, cmd.TeamID), Name: cmd.UserName,
			Workspace: gridWorkspace(cmd.EnterpriseID, cmd.TeamID)},
		Channel:     cmd.ChannelID,
		EnvelopeID:  envelopeID,
		Ref:         "cmd#" + firstNonEmpty(cmd.TriggerID, envelopeID),
		ResponseURL: cmd.ResponseURL,
		TriggerID:   cmd.TriggerID,
		Arrived:     arrived,
	}
}

// actorOfCallback is the clicker or submitter, with the same team rule as commands.
func actorOfCallback(cb slack.InteractionCallback) audit.Actor {
	workspace := firstNonEmpty(cb.User.TeamID, cb.Team.ID)
	return audit.Actor{UserID: cb.User.ID, TeamID: identityTeam(cb.Enterprise.ID, workspace), Name: firstNonEmpty(cb.User.Name, cb.User.Username),
		Workspace: gridWorkspace(cb.Enterprise.ID, workspace)}
}

// firstBlockAction is the click a block_actions payload carries: its first
// action. A payload with none, or whose first is null, carries no click.
func firstBlockAction(cb slack.InteractionCallback) (*slack.BlockAction, bool) {
	acts := cb.ActionCallback.BlockActions
	if len(acts) == 0 || acts[0] == nil {
		return nil, false
	}
	return acts[0], true
}

func requestFromAction(cb slack.InteractionCallback, act *slack.BlockAction, envelopeID string, arrived time.Time) *request {
	return &request{
		Actor:       actorOfCallback(cb),
		Channel:     firstNonEmpty(cb.Channel.ID, cb.Container.ChannelID),
		EnvelopeID:  envelopeID,
		Ref:         "click#" + hashKey(cb.User.ID, act.ActionTs, act.ActionID, act.Value, act.SelectedOption.Value),
		ResponseURL: cb.ResponseURL,
		TriggerID:   cb.TriggerID,
		FromMessage: true,
		MessageTS:   cb.Container.MessageTs,
		Ephemeral:   cb.Container.IsEphemeral,
		Arrived:     arrived,

		CallerVerified: callerVerifiedIn(cb.BlockActionState),
		FromHome:       cb.Container.Type == "view" && cb.View.Type == slack.VTHomeTab,
	}
}

// homeActor makes the request of someone opening their Home tab.
func homeActor(arrived time.Time) func(user, team string) *request {
	return func(user, team string) *request {
		return &request{Actor: audit.Actor{UserID: user, TeamID: team}, Arrived: arrived}
	}
}

func requestFromSubmission(cb slack.InteractionCallback, envelopeID string, arrived time.Time) *request {
	r := &request{
		Actor:      actorOfCallback(cb),
		EnvelopeID: envelopeID,
		Ref:        "view#" + hashKey(cb.User.ID, cb.View.ID, cb.View.Hash, cb.View.PrivateMetadata),
		TriggerID:  cb.TriggerID,
		Arrived:    arrived,
	}
	if len(cb.ResponseURLs) > 0 {
		r.ResponseURL = cb.ResponseURLs[0].ResponseURL
		r.Channel = cb.ResponseURLs[0].ChannelID
	}
	return r
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
