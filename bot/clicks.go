package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// handleClick routes a button by its action_id. The value is only an opaque id:
// everything the action needs is loaded from DynamoDB and the clicker is authorized
// again, whatever the button claims.
func (b *Bot) handleClick(ctx context.Context, req *request, actionID, value string) {
	if value != "" && !opaqueValue.MatchString(value) {
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return
	}
	switch {
	case actionID == views.ActionIDConfirmYes:
		if p, ok := b.loadPending(ctx, req, value, kindConfirm); ok {
			b.confirmPending(ctx, req, p)
		}
	case actionID == views.ActionIDConfirmNo:
		b.cancel(ctx, req, value)
	case actionID == views.ActionIDApprovalApprove:
		b.decide(ctx, req, value, true)
	case actionID == views.ActionIDApprovalReject:
		b.decide(ctx, req, value, false)
	case actionID == views.ActionIDPick:
		b.pick(ctx, req, value)
	case actionID == views.ActionIDListPrev || actionID == views.ActionIDListNext:
		b.listClick(ctx, req, value)
	case strings.HasPrefix(actionID, views.ActionIDCardPrefix):
		b.cardClick(ctx, req, config.Action(strings.TrimPrefix(actionID, views.ActionIDCardPrefix)), value)
	default:
		b.reply(ctx, req, views.Notice("This button is not recognised. Please run the command again."), replyEphemeral)
	}
}

// cancel withdraws a pending confirmation; only the requester may.
func (b *Bot) cancel(ctx context.Context, req *request, id string) {
	p, ok := b.loadPending(ctx, req, id, kindConfirm)
	if !ok {
		return
	}
	if !sameActor(p.Requester, req.Actor) {
		b.reply(ctx, req, views.TrustedNotice("Only <@"+p.Requester.UserID+"> can cancel this request."), replyEphemeral)
		return
	}
	if _, ok := b.decidePending(ctx, req, p, audit.StateCancelled); !ok {
		return
	}
	b.recordStep(ctx, req, p, phaseCancel, "cancelled by the requester")
	b.reply(ctx, req, views.Notice("Cancelled. Nothing was done to "+p.Target.Username+"."), replyReplace)
}

// cardClick handles a lookup card button. Slack's confirm dialog was already
// accepted, so a destructive action runs at once unless it needs approval or a reason.
func (b *Bot) cardClick(ctx context.Context, req *request, action config.Action, value string) {
	if _, known := userActions[action]; !known {
		b.reply(ctx, req, views.Notice("This button is not recognised."), replyEphemeral)
		return
	}
	s, ok := b.loadSession(ctx, req, value, "card")
	if !ok {
		return
	}
	pool, found := b.cfg.PoolByName(s["pool"])
	if !found {
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return
	}
	target := audit.Target{Pool: pool.ID, Username: s["username"], Sub: s["sub"]}
	if !b.authorize(ctx, req, action, target) {
		return
	}
	// One pending action per card and action: a double click finds the first one.
	pendingID := "p" + hashKey(value, string(action))
	if err := b.requestAction(ctx, req, action, pool, s["username"], "", true, pendingID); err != nil {
		b.reply(ctx, req, views.Notice(b.userMessage(err, req, string(action))), replyEphemeral)
	}
}

// threadNote posts a short note in a thread under a shared message.
func (b *Bot) threadNote(ctx context.Context, channel, ts, mrkdwn string) {
	_, _, err := b.slack.PostMessageContext(ctx, channel, slack.MsgOptionText(mrkdwn, false), slack.MsgOptionTS(ts))
	if err != nil {
		b.logInternal(newRef(), err, nil, "thread note")
	}
}
