package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/commands"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// modalForm is one kind of modal the bot opens, under its own callback id.
// read runs before the ack, so its problems (block_id → sentence) are shown in
// place in the modal and nothing is queued; handle continues the request with
// what read returned, private_metadata being an opaque session id.
type modalForm struct {
	read   func(v *slack.View) (form any, problems map[string]string)
	handle func(c *commands.Commands, ctx context.Context, req *request, meta string, form any)
}

// modalForms are the bot's modals by callback id; a submission of any other
// callback id is refused.
var modalForms = map[string]modalForm{
	views.ReasonCallbackID: {read: usercmd.ReadReasonForm, handle: (*commands.Commands).HandleReasonForm},
	views.CreateCallbackID: {read: usercmd.ReadCreateForm, handle: (*commands.Commands).HandleCreateForm},
	views.EditCallbackID:   {read: usercmd.ReadEditForm, handle: (*commands.Commands).HandleEditForm},

	views.BulkUsersCallbackID: {read: commands.ReadBulkUsersForm, handle: (*commands.Commands).HandleBulkUsersForm},
	views.ImportCallbackID:    {read: commands.ReadImportForm, handle: (*commands.Commands).HandleImportForm},
}

// readForm validates a modal submission with its form's reader, before the
// ack. An unknown form closes and handleSubmission refuses it.
func readForm(v *slack.View) (any, map[string]string) {
	f, ok := modalForms[v.CallbackID]
	if !ok {
		return nil, nil
	}
	return f.read(v)
}

// handleSubmission continues the request behind a submitted modal. A form this
// bot did not open is refused.
func (b *Bot) handleSubmission(ctx context.Context, req *request, sub transport.Submission) {
	f, ok := modalForms[sub.CallbackID]
	if !ok {
		b.Log.Warn("modal submission with an unknown callback id refused")
		b.Reply(ctx, req, views.Notice("That form is not one of this bot's, so nothing was done."), desk.ReplyEphemeral)
		return
	}
	f.handle(b.Commands, ctx, req, sub.Meta, sub.Form)
}
