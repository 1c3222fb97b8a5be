package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/logging"
)

// AuditFinishTimeout bounds recording a final state after the request's own deadline.
const AuditFinishTimeout = 10 * time.Second

// ErrStateUnavailable means pending actions or sessions could not be read or written.
var ErrStateUnavailable = errors.New("state store unavailable")

// ErrNoSpool means a long result could not be written to the temporary
// directory, so it was not started.
var ErrNoSpool = errors.New("no writable temporary directory for the export")

// UsageError asks for the command's usage text to be shown with the problem.
type UsageError struct{ Problem string }

func (e *UsageError) Error() string { return e.Problem }

// Usagef is a UsageError with a formatted problem.
func Usagef(format string, args ...any) error {
	return &UsageError{Problem: fmt.Sprintf(format, args...)}
}

// explainedError is an error already turned into the sentence the user reads
// (and, for an internal error, already logged under its ref). Passing it on
// instead of the bare error keeps one failure to one log line and one ref.
type explainedError struct {
	err     error
	message string
}

func (e *explainedError) Error() string { return e.err.Error() }
func (e *explainedError) Unwrap() error { return e.err }

// ExplainOnce computes *err's user message and replaces *err with an error that
// carries it, so later userMessage calls on it return the same sentence without
// logging again. A nil *err gives "".
func (b *Desk) ExplainOnce(err *error, req *transport.Request, action string) string {
	msg := b.UserMessage(*err, req, action)
	if *err != nil {
		*err = &explainedError{err: *err, message: msg}
	}
	return msg
}

// UserMessage is the one place that turns an error into what the Slack user reads.
// Known errors get a plain sentence; anything else gets "internal error (ref X)" and
// a full log line under that ref.
func (b *Desk) UserMessage(err error, req *transport.Request, action string) string {
	var blocked *cognito.ResetBlockedError
	var changed *TargetChangedError
	var approvalChannel *ApprovalChannelError
	var refused *RefusedError
	var explained *explainedError
	var partly *actions.PartlyDoneError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &explained):
		return explained.message
	case errors.As(err, &refused):
		return refused.Sentence
	case errors.As(err, &partly):
		return fmt.Sprintf("Partly done: %s, but %s failed (%s) To finish, %s.", partly.Done, partly.Failed,
			b.UserMessage(partly.Err, req, action), partly.Hint)
	case errors.Is(err, pipeline.ErrAuditUnavailable):
		return "The audit log can't be written right now, so nothing was done. Please try again shortly."
	case pipeline.IsOutcomeUnknown(err):
		return "The answer from Cognito was lost, so whether this was done is unknown. Check the user's current state before trying again."
	case errors.Is(err, audit.ErrUnreadable):
		return "This request was stored in a form this version of the bot can't read, so nothing was done. Please make the request again."
	case errors.Is(err, ErrStateUnavailable), errors.Is(err, audit.ErrUnavailable):
		return "The bot's storage (DynamoDB) can't be reached right now, so nothing was done. Please try again shortly."
	case errors.Is(err, ErrNoSpool):
		ref := transport.NewRef()
		b.LogInternal(ref, err, req, action)
		return fmt.Sprintf("The export could not start: the bot has no room to write it (its temporary directory, TMPDIR, is missing, full or read-only). Nothing was read; tell whoever runs the bot (ref %s).", ref)
	case errors.As(err, &approvalChannel):
		return "The approval request could not be posted in channel " + approvalChannel.Channel + ", so it was withdrawn and nothing was done. Invite the bot to that channel and try again."
	case errors.As(err, &changed):
		return "Nothing was done: " + changed.Detail + ". Look the user up again and make a new request."
	case errors.As(err, &blocked):
		msg := "Not possible: " + blocked.Reason + "."
		if blocked.Hint != "" {
			msg += " Instead, " + blocked.Hint + "."
		}
		return msg
	case errors.Is(err, cognito.ErrSearchIncomplete):
		return "That search matched too few users in too many pages to finish quickly, so it was stopped. Search by the exact username, email, phone or sub instead."
	case errors.Is(err, cognito.ErrUserNotFound):
		return "That user doesn't exist (any more) in this pool."
	case errors.Is(err, cognito.ErrUserExists):
		return "A user with that username already exists."
	case errors.Is(err, cognito.ErrInvalidQuery):
		return "That doesn't look like a username, email, phone number (+E.164) or sub. Quotes, backslashes and control characters aren't allowed."
	case errors.Is(err, cognito.ErrNotAuthorized):
		return "Cognito refused this for the user's current state (for example, the user is disabled)."
	case errors.Is(err, cognito.ErrUnsupportedState):
		return "Cognito doesn't allow this for the user's current status."
	case errors.Is(err, cognito.ErrThrottled):
		return "Cognito is rate-limiting requests right now. Please try again in a minute."
	case errors.Is(err, cognito.ErrLimitExceeded):
		return "Cognito's per-user limit for this was reached (for example, too many password resets). Please try again later."
	case errors.Is(err, cognito.ErrPoolNotFound):
		return "The user pool doesn't exist or the bot can't see it; check the pool id in the configuration."
	case errors.Is(err, cognito.ErrGroupNotFound):
		return "That group doesn't exist in this pool."
	case errors.Is(err, cognito.ErrAliasExists):
		return "That email or phone is already used by another user in this pool."
	case errors.Is(err, cognito.ErrDeviceNotFound):
		return "That device isn't one of the user's remembered devices. Run `devices <user>` and use the Forget button next to the device."
	case errors.Is(err, cognito.ErrUnknownAttribute):
		return "That attribute isn't in this pool's schema."
	case errors.Is(err, cognito.ErrImmutableAttribute):
		return "That attribute can't be changed once the user exists."
	case errors.Is(err, cognito.ErrInvalidPassword):
		return "That password doesn't meet the pool's password policy."
	case errors.Is(err, cognito.ErrAddOnNotEnabled):
		return "This needs the pool's threat protection add-on (Cognito Plus tier), which isn't enabled."
	case errors.Is(err, cognito.ErrInvalidParameter):
		return "Cognito refused one of the values in this request as invalid. Check what you typed against the command's usage."
	case errors.Is(err, cognito.ErrCodeDelivery):
		return "Cognito couldn't deliver the message to the user (email/SMS delivery failed)."
	case errors.Is(err, cognito.ErrUnsupported):
		return "This Cognito endpoint doesn't support that operation."
	case errors.Is(err, context.DeadlineExceeded):
		ref := transport.NewRef()
		b.LogInternal(ref, err, req, action)
		return fmt.Sprintf("That took too long and was abandoned (ref %s).", ref)
	}
	ref := transport.NewRef()
	b.LogInternal(ref, err, req, action)
	return fmt.Sprintf("Internal error (ref %s).", ref)
}

// LogInternal writes the one log line behind an "internal error (ref X)"
// answer: the error, the action and the ids of the request, never its text.
func (b *Desk) LogInternal(ref string, err error, req *transport.Request, action string) {
	fields := []zap.Field{zap.String("ref", ref), logging.Error(err), zap.String("action", action)}
	if req != nil {
		fields = append(fields, zap.String("slack_user_id", req.Actor.UserID), zap.String("team_id", req.Actor.TeamID),
			zap.String("channel_id", req.Channel), zap.String("envelope_id", req.EnvelopeID))
	}
	if id := cognito.RequestID(err); id != "" {
		fields = append(fields, zap.String("aws_request_id", id))
	}
	b.Log.Error("internal error", fields...)
}

// RefusedError is a request refused, before any write, for a reason the user
// can fix; its sentence is shown as it is.
type RefusedError struct{ Sentence string }

func (e *RefusedError) Error() string { return e.Sentence }

// Refusedf is a RefusedError with a formatted sentence.
func Refusedf(format string, a ...any) error {
	return &RefusedError{Sentence: fmt.Sprintf(format, a...)}
}

// TargetChangedError stops a step whose target is no longer the user, or in the
// state, that was shown or requested.
type TargetChangedError struct{ Detail string }

func (e *TargetChangedError) Error() string { return "target changed: " + e.Detail }

// ApprovalChannelError means the approval card could not be posted, so the request
// was withdrawn rather than left waiting where no approver can see it.
type ApprovalChannelError struct {
	Channel string
	Err     error
}

func (e *ApprovalChannelError) Error() string {
	return "posting approval card in " + e.Channel + ": " + e.Err.Error()
}

// Unwrap keeps what Slack answered visible to errors.Is.
func (e *ApprovalChannelError) Unwrap() error { return e.Err }
