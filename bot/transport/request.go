// Package transport is the Slack side of the bot and nothing else: it reads
// Socket Mode envelopes, acks each at once, queues its work for a bounded set
// of workers (one bounded queue per person, so one person's flood delays no
// one else), drains on shutdown and tells people when their request was turned
// away. What a command, click or form means is not its business: it hands each
// one, as a Request, to the Handler it was given.
package transport

import (
	"cmp"
	"slices"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// Request is one user interaction, reduced to what the bot needs. Identity is the
// Slack user id plus one team id, the same for commands and clicks; the display
// name is for messages only.
type Request struct {
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

// Pipe is the request as the pipeline sees it.
func (r *Request) Pipe() pipeline.Request {
	return pipeline.Request{Actor: r.Actor, Channel: r.Channel, EnvelopeID: r.EnvelopeID, Ref: r.Ref}
}

// identityTeam is the team the bot compares for one person everywhere: the
// Enterprise Grid org when there is one (a Grid user keeps one identity across
// the org's workspaces, so their buttons work and their audit history does not
// split), else their own workspace. A Slack Connect user from another
// organisation keeps their own team, which the policy does not admit by default.
func identityTeam(enterprise, team string) string { return cmp.Or(enterprise, team) }

// gridWorkspace is the workspace a Grid user acts from, kept beside their
// organisation so slack.allowed_teams may list either; "" outside Grid.
func gridWorkspace(enterprise, team string) string {
	if enterprise == "" {
		return ""
	}
	return team
}

// RequestFromCommand is the request of a slash command.
func RequestFromCommand(cmd slack.SlashCommand, envelopeID string, arrived time.Time) *Request {
	return &Request{
		Actor: audit.Actor{UserID: cmd.UserID, TeamID: identityTeam(cmd.EnterpriseID, cmd.TeamID), Name: cmd.UserName,
			Workspace: gridWorkspace(cmd.EnterpriseID, cmd.TeamID)},
		Channel:     cmd.ChannelID,
		EnvelopeID:  envelopeID,
		Ref:         "cmd#" + cmp.Or(cmd.TriggerID, envelopeID),
		ResponseURL: cmd.ResponseURL,
		TriggerID:   cmd.TriggerID,
		Arrived:     arrived,
	}
}

// actorOfCallback is the clicker or submitter, with the same team rule as commands.
func actorOfCallback(cb slack.InteractionCallback) audit.Actor {
	workspace := cmp.Or(cb.User.TeamID, cb.Team.ID)
	return audit.Actor{UserID: cb.User.ID, TeamID: identityTeam(cb.Enterprise.ID, workspace), Name: cmp.Or(cb.User.Name, cb.User.Username),
		Workspace: gridWorkspace(cb.Enterprise.ID, workspace)}
}

// FirstBlockAction is the click a block_actions payload carries: its first
// action. A payload with none, or whose first is null, carries no click.
func FirstBlockAction(cb slack.InteractionCallback) (*slack.BlockAction, bool) {
	acts := cb.ActionCallback.BlockActions
	if len(acts) == 0 || acts[0] == nil {
		return nil, false
	}
	return acts[0], true
}

// RequestFromAction is the request of a click on a block action.
func RequestFromAction(cb slack.InteractionCallback, act *slack.BlockAction, envelopeID string, arrived time.Time) *Request {
	return &Request{
		Actor:       actorOfCallback(cb),
		Channel:     cmp.Or(cb.Channel.ID, cb.Container.ChannelID),
		EnvelopeID:  envelopeID,
		Ref:         "click#" + HashKey(cb.User.ID, act.ActionTs, act.ActionID, act.Value, act.SelectedOption.Value),
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

// RequestFromSubmission is the request of a submitted modal.
func RequestFromSubmission(cb slack.InteractionCallback, envelopeID string, arrived time.Time) *Request {
	r := &Request{
		Actor:      actorOfCallback(cb),
		EnvelopeID: envelopeID,
		Ref:        "view#" + HashKey(cb.User.ID, cb.View.ID, cb.View.Hash, cb.View.PrivateMetadata),
		TriggerID:  cb.TriggerID,
		Arrived:    arrived,
	}
	if len(cb.ResponseURLs) > 0 {
		r.ResponseURL = cb.ResponseURLs[0].ResponseURL
		r.Channel = cb.ResponseURLs[0].ChannelID
	}
	return r
}

// HashKey derives a fixed-length key from parts, for deterministic DynamoDB
// keys and for refs that stay the same across redeliveries of one interaction.
func HashKey(parts ...string) string { return auditid.Hash(parts...) }

// callerVerifiedIn reports whether the clicked message's "The caller
// confirmed these" box was ticked when Confirm was pressed.
func callerVerifiedIn(state *slack.BlockActionStates) bool {
	if state == nil {
		return false
	}
	for _, block := range state.Values {
		if a, ok := block[views.ActionIDCallerVerified]; ok {
			return slices.ContainsFunc(a.SelectedOptions, func(o slack.OptionBlockObject) bool { return o.Value == views.CallerVerifiedValue })
		}
	}
	return false
}

// homeRequest is the request of someone opening the app's Home tab
// (app_home_opened), which is rebuilt each time; nil for any other event,
// which is acknowledged and ignored.
func homeRequest(ev slackevents.EventsAPIEvent, envelopeID string, arrived time.Time) *Request {
	opened, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || opened.Tab != "home" || opened.User == "" {
		return nil
	}
	return &Request{Actor: audit.Actor{UserID: opened.User, TeamID: cmp.Or(ev.EnterpriseID, ev.TeamID)}, Arrived: arrived,
		EnvelopeID: envelopeID, Ref: "home#" + envelopeID}
}
