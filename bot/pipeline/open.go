package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// OpenIntents lists up to limit intents due before dueBefore and never
// finished (see CloseOpenIntents), for a sweeper that settles some of them by
// reading their effect back and closes the rest with CloseOpen.
func (p *Pipeline) OpenIntents(ctx context.Context, dueBefore time.Time, limit int) ([]audit.Entry, error) {
	return p.log.OpenIntents(ctx, dueBefore, limit)
}

// CloseOpen closes an intent its bot left open: with the outcome read back
// from its effect (done or not done), or, when unknown is set, "outcome
// unknown" with why, counted as such. It reports whether this call closed
// it: several replicas sweep, and only the one that closed the intent tells
// anyone about it. An intent already closed, or never written, is left alone.
func (p *Pipeline) CloseOpen(ctx context.Context, auditID string, outcome audit.Outcome, message string, unknown bool) (bool, error) {
	if unknown {
		outcome, message = audit.OutcomeError, UnknownOutcome+": "+message
	}
	err := p.log.Finish(ctx, auditID, outcome, message, "")
	switch {
	case errors.Is(err, audit.ErrAlreadyFinished) || errors.Is(err, audit.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	if unknown {
		p.unknown(CauseAbandoned)
	}
	return true, nil
}
