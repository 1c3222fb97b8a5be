package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/commands"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
)

// modalForm is one kind of modal the bot opens, under its own callback id.
// read runs before the ack, so its problems (block_id → sentence) are shown
// in place in the modal and nothing is queued; the transport.Resume it
// returns continues the request after the ack with what was read, the view's
// private_metadata being an opaque session id. Build one with typedForm.
type modalForm struct {
	read func(b *Bot, v *slack.View) (transport.Resume, map[string]string)
}

// typedForm pairs the reader and the handler of a form whose answers read
// as an F. Both halves meet only inside the closure it builds, so the value
// keeps its type from one to the other: a handler cannot be given another
// form's answers.
func typedForm[F any](read func(v *slack.View) (F, map[string]string),
	handle func(c *commands.Commands, ctx context.Context, req *request, meta string, form F)) modalForm {
	return modalForm{read: func(b *Bot, v *slack.View) (transport.Resume, map[string]string) {
		form, problems := read(v)
		meta := v.PrivateMetadata
		return func(ctx context.Context, req *request) { handle(b.Commands, ctx, req, meta, form) }, problems
	}}
}

// modalForms are the bot's modals by callback id (a map literal: the
// compiler refuses one id twice); a submission of any other callback id is
// refused.
var modalForms = map[string]modalForm{
	views.ReasonCallbackID: typedForm(usercmd.ReadReasonForm, (*commands.Commands).HandleReasonForm),
	views.CreateCallbackID: typedForm(usercmd.ReadCreateForm, (*commands.Commands).HandleCreateForm),
	views.EditCallbackID:   typedForm(usercmd.ReadEditForm, (*commands.Commands).HandleEditForm),

	bulkview.BulkUsersCallbackID: typedForm(commands.ReadBulkUsersForm, (*commands.Commands).HandleBulkUsersForm),
	bulkview.ImportCallbackID:    typedForm(commands.ReadImportForm, (*commands.Commands).HandleImportForm),
}

// readForm validates a modal submission with its form's reader, before the
// ack. An unknown form closes and handleSubmission refuses it.
func readForm(b *Bot, v *slack.View) (transport.Resume, map[string]string) {
	f, ok := modalForms[v.CallbackID]
	if !ok {
		return nil, nil
	}
	return f.read(b, v)
}

// handleSubmission continues the request behind a submitted modal. A form this
// bot did not open is refused.
func (b *Bot) handleSubmission(ctx context.Context, req *request, sub transport.Submission) {
	if _, ok := modalForms[sub.CallbackID]; !ok || sub.Resume == nil {
		b.Log.Warn("modal submission with an unknown callback id refused")
		b.Reply(ctx, req, views.Notice("That form is not one of this bot's, so nothing was done."), desk.ReplyEphemeral)
		return
	}
	sub.Resume(ctx, req)
}
