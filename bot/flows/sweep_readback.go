package flows

import (
	"context"
	"errors"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// phaseReadBack is the sweeper's audited read of the user of an action whose
// bot stopped mid-call.
const phaseReadBack pipeline.Phase = "read-back"

// What an action whose bot stopped mid-call ends with when reading the user
// back tells its outcome.
const (
	ReadBackDone    = "done (the bot stopped mid-way; reading the user back shows it took effect)"
	ReadBackNotDone = "not done: the bot stopped mid-way; reading the user back shows nothing changed; run it again"
)

// readBack tells whether the action p, whose bot stopped after writing its
// intent, took effect: the action's Reached judges its user read back exactly
// (stored username and sub), in a pipeline step authorized as its run was and
// audited. known is false when reading cannot tell — no Reached, an effect
// elsewhere (--at, a delete waiting out its undo window), the read refused or
// the user replaced; err is a failed read, left for the next sweep.
func (b *Flows) readBack(ctx context.Context, p audit.Pending) (reached, known bool, err error) {
	spec, ok := actions.Get(p.Action)
	args := ArgsOf(p.Params)
	if _, poolOK := b.PendingPool(p); !ok || !poolOK || spec.Reached == nil || IsJobApproval(p) || args["at"] != "" ||
		(spec.Action == actions.Delete && args["now"] != "true") {
		return false, false, nil
	}
	step := PendingStep(p, phaseReadBack)
	step.AuditID = auditid.ForAttempt(step.AuditID, transport.NewRef()) // each sweep's read is its own
	if p.Kind == KindApproval {
		step.Authority = pipeline.ByApprover
	}
	step.Op = func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		u, err := GetExact(ctx, s.Users, p.Target.Pool, desk.Identity{Username: p.Target.Username, Sub: p.Target.Sub})
		if errors.Is(err, cognito.ErrUserNotFound) {
			u, err = nil, nil // gone: Reached(nil) says whether that is the action's effect
		}
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		reached = spec.Reached(u, args)
		if reached {
			return pipeline.Result{Summary: "read back: " + spec.Done}, nil
		}
		return pipeline.Result{Summary: "read back: not " + spec.Done}, nil
	}
	out := b.Pipe.Do(ctx, pipeline.Request{Actor: p.DecidedBy, Channel: p.Channel, EnvelopeID: "sweep#" + p.ID}, step)
	var changed *desk.TargetChangedError
	switch {
	case out.Denied != "" || out.Duplicate || errors.As(out.Err, &changed):
		return false, false, nil
	case out.Err != nil:
		return false, false, out.Err
	}
	return reached, true, nil
}
