package flows

import (
	"context"
	"errors"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// AlreadyText tells a late clicker what became of a pending action and who decided.
func AlreadyText(p audit.Pending) string {
	by := ""
	if p.DecidedBy.UserID != "" {
		by = " by <@" + p.DecidedBy.UserID + ">"
	}
	switch p.State {
	case audit.StateExecuting:
		return "This request is already being carried out" + by + "."
	case audit.StateDone:
		return "This request was already carried out" + by + "."
	case audit.StateFailed:
		return "This request was already attempted" + by + " and failed: " + views.Escape(p.Result)
	case audit.StateCancelled:
		return "This request was cancelled" + by + "."
	case audit.StateRejected:
		return "This request was rejected" + by + "."
	case audit.StateExpired:
		return "This request expired without a decision. Please run the command again."
	}
	return "This request can no longer be acted on."
}

// LoadPending reads what a confirm/approve button points at and refuses unknown,
// used and expired ones.
func (b *Flows) LoadPending(ctx context.Context, req *transport.Request, id string, kind audit.PendingKind) (audit.Pending, bool) {
	if !desk.OpaqueValue.MatchString(id) {
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return audit.Pending{}, false
	}
	p, err := b.State.Get(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		b.Reply(ctx, req, views.Notice("This button is not valid or has expired."), desk.ReplyEphemeral)
		return p, false
	case errors.Is(err, audit.ErrUnreadable):
		// Stored by another version in a form this one cannot map: refused, never guessed.
		b.Reply(ctx, req, views.Notice(b.UserMessage(err, req, "click")), desk.ReplyEphemeral)
		return p, false
	case err != nil:
		b.StateDown(ctx, req, err)
		return p, false
	case p.Kind != kind:
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return p, false
	case p.State != audit.StatePending:
		b.Reply(ctx, req, views.TrustedNotice(AlreadyText(p)), desk.ReplyEphemeral)
		return p, false
	case !b.Now().Before(p.ExpiresAt):
		b.expire(ctx, p)
		b.Reply(ctx, req, views.Notice("This request has expired. Please run the command again."), desk.ReplyEphemeral)
		return p, false
	}
	return p, true
}

// StateDown answers a click when the state store cannot be reached: nothing was
// done, and on a shared card a threaded note says so for everyone.
func (b *Flows) StateDown(ctx context.Context, req *transport.Request, err error) {
	text := b.UserMessage(fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err), req, "click")
	b.Reply(ctx, req, views.Notice(text), desk.ReplyEphemeral)
	if req.MessageTS != "" && !req.Ephemeral && req.Channel != "" {
		b.ThreadNote(ctx, req.Channel, req.MessageTS, "⚠️ <@"+req.Actor.UserID+">'s click could not be processed: "+views.Escape(text))
	}
}
