package pipeline

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/logging"
)

// ErrAuditUnavailable means the intent could not be recorded, so nothing ran.
var ErrAuditUnavailable = errors.New("audit log unavailable")

// UnknownOutcome is what the log and the user are told when Cognito may or may
// not have applied a change.
const UnknownOutcome = "outcome unknown — check the user"

// finishTimeout bounds recording an outcome after the request's own deadline.
const finishTimeout = 10 * time.Second

// Pipeline runs steps. It is the only holder of the user directory.
type Pipeline struct {
	users    Directory
	log      AuditLog
	policy   Authorizer
	logger   *zap.Logger
	observer Observer
	retry    FinishRetry
}

// New returns a pipeline over the given dependencies; logger and observer may
// be nil. Without options it works as production needs (DefaultFinishRetry).
func New(users Directory, log AuditLog, policy Authorizer, logger *zap.Logger, observer Observer, opts ...Option) *Pipeline {
	if logger == nil {
		logger = zap.NewNop()
	}
	p := &Pipeline{users: users, log: log, policy: policy, logger: logger, observer: observer, retry: DefaultFinishRetry}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Do runs one step through authorize → deny or intent → operation → outcome.
func (p *Pipeline) Do(ctx context.Context, req Request, s Step) Outcome {
	if err := p.checkStep(req, s); err != nil {
		return Outcome{Err: err}
	}
	if reason := p.authorize(ctx, req, s); reason != "" {
		p.Refuse(ctx, req, s, reason)
		return Outcome{Denied: reason}
	}
	if s.Claim != nil && s.Op == nil {
		// A state change with no Cognito call (cancel, reject, start a job) is
		// itself the work: its intent is written first, so it never happens
		// unaudited, and its outcome says whether this click won.
		claim := s.Claim
		if req.Ref != "" {
			s.AuditID = auditid.ForAttempt(s.AuditID, req.Ref)
		}
		s.Claim, s.Op = nil, func(ctx context.Context, _ Services) (Result, error) {
			if err := claim(ctx); err != nil {
				return Result{}, err
			}
			return Result{Summary: s.Params["outcome"]}, nil
		}
	}
	if s.Claim != nil {
		if err := s.Claim(ctx); err != nil {
			return Outcome{Err: err}
		}
	}
	entry := p.entry(req, s, audit.Allowed)
	if s.Op == nil {
		entry.Outcome = audit.OutcomeOK
		err := p.log.Record(ctx, entry)
		switch {
		case errors.Is(err, audit.ErrDuplicate):
			return Outcome{Duplicate: true}
		case err != nil:
			p.logger.Error("recording a step; refusing to act", p.fields(req, s, err)...)
			p.observe(s, "audit_unavailable")
			return Outcome{Err: ErrAuditUnavailable}
		}
		p.observe(s, "ok")
		return Outcome{}
	}
	entry.Outcome = audit.OutcomePending
	if dl, ok := ctx.Deadline(); ok {
		entry.Deadline = dl // the sweeper leaves the intent alone until then
	}
	if err := p.log.Begin(ctx, entry); err != nil {
		if errors.Is(err, audit.ErrDuplicate) {
			p.logger.Info("interaction already handled", zap.String("audit_id", s.AuditID), zap.String("action", string(s.Action)))
			return Outcome{Duplicate: true}
		}
		p.logger.Error("writing audit intent; refusing to act", p.fields(req, s, err)...)
		p.observe(s, "audit_unavailable")
		return Outcome{Err: ErrAuditUnavailable}
	}
	res, err := p.runOp(ctx, s)
	return p.finish(ctx, req, s, res, err)
}

// finish records the outcome, even when the request's context has run out.
func (p *Pipeline) finish(ctx context.Context, req Request, s Step, res Result, err error) Outcome {
	outcome, message, label := audit.OutcomeOK, res.Summary, "ok"
	switch {
	case errors.Is(err, cognito.ErrOutcomeUnknown) || errors.Is(err, context.DeadlineExceeded):
		outcome, message, label = audit.OutcomeError, UnknownOutcome+": "+err.Error(), "unknown"
		err = errOutcomeUnknown{err}
	case err != nil:
		outcome, message, label = audit.OutcomeError, err.Error(), "error"
	}
	if label == "unknown" {
		p.unknown(CauseLostAnswer)
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	out := Outcome{Result: res, Err: err}
	if ferr := p.finishEntry(fctx, s.AuditID, outcome, message, res); ferr != nil {
		out.AuditGap = true
		p.logger.Error("writing audit outcome", append(p.fields(req, s, ferr),
			zap.String("outcome", string(outcome)), zap.String("aws_request_id", res.RequestID))...)
		label = "audit_gap"
	}
	p.observe(s, label)
	return out
}

// Refuse records a denied attempt — by the policy here, or by a check the bot
// made (only the requester may confirm, the pool is gone). If even that cannot
// be written the user is still refused; the failure is logged.
func (p *Pipeline) Refuse(ctx context.Context, req Request, s Step, reason string) {
	e := p.entry(req, s, audit.Denied)
	// Each refused person, and each of their clicks, is its own attempt; a
	// redelivery of the same click (same Ref) is not.
	e.ID = auditid.ForDenial(s.AuditID, req.Actor.TeamID, req.Actor.UserID, req.Ref, reason)
	e.DenyReason, e.Outcome, e.Message = reason, audit.OutcomeError, "denied: "+reason
	err := p.log.Record(ctx, e)
	if err != nil && !errors.Is(err, audit.ErrDuplicate) {
		p.logger.Error("recording a denial", p.fields(req, s, err)...)
	}
	if !errors.Is(err, audit.ErrDuplicate) { // a redelivery was counted the first time
		p.observe(s, "denied")
	}
}

func (p *Pipeline) entry(req Request, s Step, d audit.Decision) audit.Entry {
	return audit.Entry{
		ID: s.AuditID, Actor: req.Actor, Channel: req.Channel, Action: string(s.Action), Target: s.Target,
		Params: s.entryParams(), Decision: d, SlackRef: req.EnvelopeID, ApprovalID: s.ApprovalID, Reason: s.Reason,
	}
}

func (p *Pipeline) fields(req Request, s Step, err error) []zap.Field {
	return []zap.Field{zap.String("audit_id", s.AuditID), zap.String("action", string(s.Action)),
		zap.String("slack_user_id", req.Actor.UserID), logging.Error(err)}
}

func (p *Pipeline) observe(s Step, result string) {
	if p.observer != nil {
		p.observer.StepDone(string(s.Action), result)
	}
}

// errOutcomeUnknown marks an error after which Cognito may or may not have
// applied the change.
type errOutcomeUnknown struct{ err error }

func (e errOutcomeUnknown) Error() string { return UnknownOutcome }
func (e errOutcomeUnknown) Unwrap() error { return e.err }

// IsOutcomeUnknown reports whether err leaves the user's state unknown.
func IsOutcomeUnknown(err error) bool {
	var u errOutcomeUnknown
	return errors.As(err, &u)
}

// finishEntry records an intent's outcome and, when the step resolved who it was
// about, that user. The outcome is known only here: while the audit log is
// unreachable it tries again, with backoff, for up to p.retry.For (within
// ctx), so a short DynamoDB outage does not leave the intent to the sweeper,
// which could only call it "outcome unknown". The bound keeps a worker, and a
// shutdown's drain, from waiting long on a store that is gone. A retry that
// finds the entry finished found the write of an attempt whose answer was lost.
func (p *Pipeline) finishEntry(ctx context.Context, id string, outcome audit.Outcome, message string, res Result) error {
	giveUp := time.NewTimer(p.retry.For)
	defer giveUp.Stop()
	delay := p.retry.First
	for attempt := 0; ; attempt++ {
		err := p.finishOnce(ctx, id, outcome, message, res)
		switch {
		case attempt > 0 && errors.Is(err, audit.ErrAlreadyFinished):
			return nil
		case err == nil || !errors.Is(err, audit.ErrUnavailable):
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-giveUp.C:
			return err
		case <-time.After(delay):
		}
		delay = min(2*delay, p.retry.Max)
	}
}

func (p *Pipeline) finishOnce(ctx context.Context, id string, outcome audit.Outcome, message string, res Result) error {
	if res.Resolved != nil {
		return p.log.FinishResolved(ctx, id, outcome, message, res.RequestID, *res.Resolved)
	}
	return p.log.Finish(ctx, id, outcome, message, res.RequestID)
}

// Note records a step the bot takes by itself — a request put on record, an
// expiry. Nobody asked for it, so nobody is authorized; nothing calls Cognito.
func (p *Pipeline) Note(ctx context.Context, req Request, s Step, what string) {
	e := p.entry(req, s, audit.Allowed)
	e.Outcome, e.Message = audit.OutcomeOK, what
	if err := p.log.Record(ctx, e); err != nil && !errors.Is(err, audit.ErrDuplicate) {
		p.logger.Error("recording a step", p.fields(req, s, err)...)
	}
}

// CloseAbandoned records "outcome unknown" on an intent whose bot stopped between
// writing it and recording the outcome. An intent already finished, or never
// written, is left alone. It reports whether this call closed the intent:
// several replicas sweep, and only the one that closed it tells anyone.
func (p *Pipeline) CloseAbandoned(ctx context.Context, auditID, why string) (bool, error) {
	closed, err := p.closeOpen(ctx, auditID, audit.OutcomeError, UnknownOutcome+": "+why)
	if closed {
		p.unknown(CauseAbandoned)
	}
	return closed, err
}

// IntentWritten reports whether the intent auditID was written: a step's
// operation only ever runs after it, so without one nothing ran.
func (p *Pipeline) IntentWritten(ctx context.Context, auditID string) (bool, error) {
	_, err := p.log.Get(ctx, auditID)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, audit.ErrNotFound):
		return false, nil
	}
	return false, err
}

// CloseSettled closes an intent its bot left open when what the step did can
// be read from its effect (a bulk job found running was started, the user
// read back): the outcome is then known, not "unknown". An intent already
// closed, or never written, is left alone; it reports whether this call
// closed it.
func (p *Pipeline) CloseSettled(ctx context.Context, auditID string, outcome audit.Outcome, message string) (bool, error) {
	return p.closeOpen(ctx, auditID, outcome, message)
}

// closeOpen finishes an open intent, reporting whether this call did.
func (p *Pipeline) closeOpen(ctx context.Context, auditID string, outcome audit.Outcome, message string) (bool, error) {
	err := p.log.Finish(ctx, auditID, outcome, message, "")
	if errors.Is(err, audit.ErrAlreadyFinished) || errors.Is(err, audit.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
