package bot

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// operation is one audited call into Cognito, described as data so that every
// command and click goes through the same run function.
type operation struct {
	Action     config.Action
	Target     audit.Target
	Params     map[string]string
	Reason     string
	ApprovalID string
	// Call does the Cognito work and returns a one-line summary for the audit
	// outcome plus the Cognito request id, if any.
	Call func(ctx context.Context) (summary, requestID string, err error)
}

// outcome is what became of an operation.
type outcome struct {
	Summary   string
	Err       error // nil when the Cognito work succeeded
	Duplicate bool  // the same interaction was already handled (Slack redelivery)
	AuditGap  bool  // the work ran but its outcome could not be recorded
}

// actorOf is the identity the policy understands: user id plus team id, never a name.
func actorOf(a audit.Actor) rbac.Actor { return rbac.Actor{UserID: a.UserID, TeamID: a.TeamID} }

// authorize asks the policy whether req's actor may run action here. A denial is
// audited and answered; the caller just stops.
func (b *Bot) authorize(ctx context.Context, req *request, action config.Action, target audit.Target) bool {
	d := b.policy.Allow(ctx, actorOf(req.Actor), action, req.Channel)
	if d.Allowed {
		return true
	}
	b.recordDenial(ctx, req, action, target, d.Reason, "")
	b.reply(ctx, req, views.Notice("Not allowed: "+d.Reason), replyEphemeral)
	return false
}

// recordDenial writes a denied attempt. If even that cannot be written the user is
// still refused; the failure is logged.
func (b *Bot) recordDenial(ctx context.Context, req *request, action config.Action, target audit.Target, reason, approvalID string) {
	err := b.audit.Record(ctx, audit.Entry{
		ID:         "deny#" + hashKey(req.Ref, string(action), reason),
		Actor:      req.Actor,
		Channel:    req.Channel,
		Action:     string(action),
		Target:     target,
		Decision:   audit.Denied,
		DenyReason: reason,
		Outcome:    audit.OutcomeError,
		Message:    "denied: " + reason,
		SlackRef:   req.EnvelopeID,
		ApprovalID: approvalID,
	})
	if err != nil && !errors.Is(err, audit.ErrDuplicate) {
		b.log.Error("recording a denial", zap.String("action", string(action)),
			zap.String("slack_user_id", req.Actor.UserID), zap.Error(err))
	}
}

// run is the heart of the pipeline: audit the intent, call Cognito, audit the
// outcome. If the intent cannot be written nothing runs (fail closed); if the same
// interaction was already recorded (a redelivered envelope) nothing runs again.
func (b *Bot) run(ctx context.Context, req *request, auditID string, op operation) outcome {
	entry := audit.Entry{
		ID:         auditID,
		Actor:      req.Actor,
		Channel:    req.Channel,
		Action:     string(op.Action),
		Target:     op.Target,
		Params:     op.Params,
		Decision:   audit.Allowed,
		Outcome:    audit.OutcomePending,
		SlackRef:   req.EnvelopeID,
		ApprovalID: op.ApprovalID,
		Reason:     op.Reason,
	}
	if err := b.audit.Begin(ctx, entry); err != nil {
		if errors.Is(err, audit.ErrDuplicate) {
			b.log.Info("interaction already handled", zap.String("audit_id", auditID), zap.String("action", string(op.Action)))
			return outcome{Duplicate: true}
		}
		b.log.Error("writing audit intent; refusing to act", zap.String("audit_id", auditID),
			zap.String("action", string(op.Action)), zap.String("slack_user_id", req.Actor.UserID), zap.Error(err))
		return outcome{Err: errAuditUnavailable}
	}

	summary, requestID, err := op.Call(ctx)
	result, message := audit.OutcomeOK, summary
	if err != nil {
		result, message = audit.OutcomeError, err.Error()
	}
	// The outcome is recorded even when the request context has run out.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditFinishTimeout)
	defer cancel()
	out := outcome{Summary: summary, Err: err}
	if ferr := b.audit.Finish(fctx, auditID, result, message, requestID); ferr != nil {
		out.AuditGap = true
		b.log.Error("writing audit outcome", zap.String("audit_id", auditID), zap.String("action", string(op.Action)),
			zap.String("outcome", string(result)), zap.String("aws_request_id", requestID), zap.Error(ferr))
	}
	return out
}
