package bot

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cognito-bot/cognito-bot/audit"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// askReason opens the reason modal. Slack's trigger_id lives 3 s and works once, so
// this runs before any other slow work for the interaction; when it has lapsed the
// user is asked to pass --reason instead.
func (b *Bot) askReason(ctx context.Context, req *request, action config.Action, pool config.Pool, u *cognito.User, confirmed bool, pendingID string) error {
	id := newSessionID()
	err := b.state.PutSession(ctx, id, map[string]string{
		"kind": "reason", "owner": req.Actor.UserID, "team": req.Actor.TeamID,
		"action": string(action), "pool": pool.Name, "username": u.Username,
		"confirmed": strconv.FormatBool(confirmed), "pending_id": pendingID,
		"channel": req.Channel, "response_url": req.ResponseURL, "from_message": strconv.FormatBool(req.FromMessage),
	}, sessionTTL)
	if err != nil {
		return fmt.Errorf("saving reason session: %w: %w", errStateUnavailable, err)
	}
	if req.TriggerID != "" {
		if _, err := b.slack.OpenViewContext(ctx, req.TriggerID, views.ReasonModal(id, string(action), u.Username)); err == nil {
			return nil
		}
	}
	return usagef("%s needs a reason. Run it again with `--reason \"…\"`.", action)
}

// handleReasonSubmitted continues a request once its reason was given in the modal.
func (b *Bot) handleReasonSubmitted(ctx context.Context, req *request, sessionID, reason string) {
	s, ok := b.loadSession(ctx, req, sessionID, "reason")
	if !ok {
		return
	}
	req.Channel, req.ResponseURL = s["channel"], s["response_url"]
	req.FromMessage = s["from_message"] == "true"
	action := config.Action(s["action"])
	pool, found := b.cfg.PoolByName(s["pool"])
	if !found {
		b.reply(ctx, req, views.Notice("This request is no longer valid."), replyEphemeral)
		return
	}
	if !b.authorize(ctx, req, action, audit.Target{Pool: pool.ID, Username: s["username"]}) {
		return
	}
	users, full, out := b.resolve(ctx, req, "find#"+hashKey(req.Ref), action, pool, s["username"])
	switch {
	case out.Duplicate:
		return
	case out.Err != nil:
		b.reply(ctx, req, views.Notice(b.userMessage(out.Err, req, string(action))), replyEphemeral)
		return
	case len(users) != 1:
		b.reply(ctx, req, views.Notice("The user "+s["username"]+" can no longer be found."), replyEphemeral)
		return
	}
	if err := b.prepare(ctx, req, action, pool, full, reason, s["confirmed"] == "true", s["pending_id"]); err != nil {
		b.reply(ctx, req, views.Notice(b.userMessage(err, req, string(action))), replyEphemeral)
	}
}
