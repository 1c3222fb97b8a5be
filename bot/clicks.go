package bot

import (
	"cmp"
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/auditview"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// handleClick routes a button by its action_id. The value is only an opaque id:
// everything the action needs is loaded from the state store and every step goes
// through the pipeline, whatever the button claims.
func (b *Bot) handleClick(ctx context.Context, req *request, act *slack.BlockAction) {
	if req.FromHome {
		defer b.PublishHome(ctx, req) // show what the click changed
	}
	value := cmp.Or(act.Value, act.SelectedOption.Value)
	if value != "" && !desk.OpaqueValue.MatchString(value) {
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return
	}
	switch id := act.ActionID; {
	case id == views.ActionIDConfirmYes:
		if p, ok := b.LoadPending(ctx, req, value, flows.KindConfirm); ok && b.CallerChecked(ctx, req, p) {
			b.ConfirmPending(ctx, req, p)
		}
	case id == views.ActionIDConfirmNo:
		b.Cancel(ctx, req, value)
	case id == views.ActionIDApprovalApprove:
		b.Decide(ctx, req, value, true)
	case id == views.ActionIDApprovalReject:
		b.Decide(ctx, req, value, false)
	case id == views.ActionIDPick:
		b.Pick(ctx, req, value)
	case id == deskview.ActionIDGroupRemove || id == deskview.ActionIDGroupAdd:
		b.GroupClick(ctx, req, value, id == deskview.ActionIDGroupRemove)
	case id == views.ActionIDListPrev || id == views.ActionIDListNext:
		b.ListClick(ctx, req, value)
	case id == auditview.ActionIDAuditMore:
		b.AuditSearchClick(ctx, req, value)
	case id == bulkview.ActionIDBulkConfirm:
		b.BulkConfirm(ctx, req, value)
	case id == bulkview.ActionIDBulkDiscard:
		b.BulkDiscard(ctx, req, value)
	case id == bulkview.ActionIDBulkCancel:
		b.BulkCancel(ctx, req, value)
	case id == deskview.ActionIDDeviceForget:
		b.ForgetClick(ctx, req, value)
	case id == views.ActionIDUndo:
		b.UndoClick(ctx, req, value)
	case id == views.ActionIDScheduleCancel:
		b.CancelScheduleClick(ctx, req, value)
	case strings.HasPrefix(id, deskview.ActionIDCardMenu):
		b.CardClick(ctx, req, "", value)
	case strings.HasPrefix(id, views.ActionIDCardPrefix):
		action, _ := views.CardAction(id)
		b.CardClick(ctx, req, actions.Action(action), value)
	default:
		b.Reply(ctx, req, views.Notice("This button is not recognised. Please run the command again."), desk.ReplyEphemeral)
	}
}
