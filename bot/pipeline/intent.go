package pipeline

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// ErrRequesterOp refuses a step that runs "by requester" (ByRequester: only
// the requester is checked, no role) yet carries a Cognito operation: such a
// step may only withdraw the requester's own request. It is a bug in the bot,
// refused before anything is written or called.
var ErrRequesterOp = errors.New("internal error: a step run by the requester cannot carry a Cognito operation")

// checkStep refuses steps the pipeline cannot run as declared.
func (p *Pipeline) checkStep(req Request, s Step) error {
	if s.Authority == ByRequester && s.Op != nil {
		p.logger.Error("refusing a step", p.fields(req, s, ErrRequesterOp)...)
		return ErrRequesterOp
	}
	return nil
}

// runOp runs the step's operation under its audit intent, which Do has just
// written: the intent goes into the operation's context (cognito.OpenIntent),
// where both user directories look for it before any call, and is closed when
// the operation returns, so nothing the operation left behind can call
// Cognito on its behalf afterwards.
func (p *Pipeline) runOp(ctx context.Context, s Step) (Result, error) {
	opCtx, closeIntent := cognito.OpenIntent(ctx, s.AuditID)
	defer closeIntent()
	res, err := s.Op(opCtx, Services{Users: p.users, Log: p.log})
	if errors.Is(err, cognito.ErrNoIntent) {
		p.logger.Error("a Cognito call was refused for want of an audit intent", zap.String("audit_id", s.AuditID), zap.Error(err))
	}
	return res, err
}

// IntentID returns the audit intent an operation runs under, "" outside one
// or once the operation has returned (cognito.IntentID).
func IntentID(ctx context.Context) string { return cognito.IntentID(ctx) }
