package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// handleClick routes a button by its action_id. The value is only an opaque id:
// everything the action needs is loaded from the state store and every step goes
// through the pipeline, whatever the button claims.
func (b *Bot) handleClick(ctx context.Context, req *request, act *slack.BlockAction) {
	if req.FromHome {
		defer b.publishHome(ctx, req) // show what the click changed
	}
	value := firstNonEmpty(act.Value, act.SelectedOption.Value)
	if value != "" && !opaqueValue.MatchString(value) {
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return
	}
	switch id := act.ActionID; {
	case id == views.ActionIDConfirmYes:
		if p, ok := b.loadPending(ctx, req, value, kindConfirm); ok && b.callerChecked(ctx, req, p) {
			b.confirmPending(ctx, req, p)
		}
	case id == views.ActionIDConfirmNo:
		b.cancel(ctx, req, value)
	case id == views.ActionIDApprovalApprove:
		b.decide(ctx, req, value, true)
	case id == views.ActionIDApprovalReject:
		b.decide(ctx, req, value, false)
	case id == views.ActionIDPick:
		b.pick(ctx, req, value)
	case id == deskview.ActionIDGroupRemove || id == deskview.ActionIDGroupAdd:
		b.groupClick(ctx, req, value, id == deskview.ActionIDGroupRemove)
	case id == views.ActionIDListPrev || id == views.ActionIDListNext:
		b.listClick(ctx, req, value)
	case id == views.ActionIDAuditMore:
		b.auditSearchClick(ctx, req, value)
	case id == views.ActionIDBulkConfirm:
		b.bulkConfirm(ctx, req, value)
	case id == views.ActionIDBulkDiscard:
		b.bulkDiscard(ctx, req, value)
	case id == views.ActionIDBulkCancel:
		b.bulkCancel(ctx, req, value)
	case id == deskview.ActionIDDeviceForget:
		b.forgetClick(ctx, req, value)
	case id == views.ActionIDUndo:
		b.undoClick(ctx, req, value)
	case id == views.ActionIDScheduleCancel:
		b.cancelScheduleClick(ctx, req, value)
	case strings.HasPrefix(id, deskview.ActionIDCardMenu):
		b.cardClick(ctx, req, "", value)
	case strings.HasPrefix(id, views.ActionIDCardPrefix):
		action, _ := views.CardAction(id)
		b.cardClick(ctx, req, actions.Action(action), value)
	default:
		b.reply(ctx, req, views.Notice("This button is not recognised. Please run the command again."), replyEphemeral)
	}
}

// threadNote posts a short note in a thread under a shared message.
func (b *Bot) threadNote(ctx context.Context, channel, ts, mrkdwn string) {
	_, _, err := b.slack.PostMessageContext(ctx, channel, slack.MsgOptionText(mrkdwn, false), slack.MsgOptionTS(ts))
	if err != nil {
		b.logInternal(newRef(), err, nil, "thread note")
	}
}
