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

// readBackOutcome is what reading back the user of an action whose bot
// stopped mid-call tells: whether it took effect (reached), whether that is
// known at all, and, when the default words would not say it, what to say
// (said) and the verb done (done, for the result's heading).
type readBackOutcome struct {
	reached, known bool
	said, done     string
}

// readBack tells whether the action p, whose bot stopped after writing its
// intent, took effect: the action's Reached judges its user read back exactly
// (stored username and sub), in a pipeline step authorized as its run was and
// audited; a delete waiting out its undo window is judged by its schedule too
// (settleUndoableDelete). It is not known when reading cannot tell — no
// Reached, an effect elsewhere (--at), the read refused or the user replaced;
// err is a failed read, left for the next sweep.
func (b *Flows) readBack(ctx context.Context, p audit.Pending) (readBackOutcome, error) {
	spec, ok := actions.Get(p.Action)
	args := ArgsOf(p.Params)
	undoable := ok && spec.Action == actions.Delete && args["now"] != "true"
	if _, poolOK := b.PendingPool(p); !ok || !poolOK || spec.Reached == nil || IsJobApproval(p) || args["at"] != "" ||
		(undoable && b.JobHooks == nil) {
		return readBackOutcome{}, nil
	}
	step := PendingStep(p, phaseReadBack)
	step.AuditID = auditid.ForAttempt(step.AuditID, transport.NewRef()) // each sweep's read is its own
	if p.Kind == KindApproval {
		step.Authority = pipeline.ByApprover
	}
	var (
		reached  bool
		deletion *audit.Scheduled // this delete's schedule, pending
	)
	step.Op = func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		u, err := GetExact(ctx, s.Users, p.Target.Pool, desk.Identity{Username: p.Target.Username, Sub: p.Target.Sub})
		if errors.Is(err, cognito.ErrUserNotFound) {
			u, err = nil, nil // gone: Reached(nil) says whether that is the action's effect
		}
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		if undoable && u != nil {
			if deletion, err = b.deletionMadeBy(ctx, p, u.Sub); err != nil {
				return pipeline.Result{}, err
			}
			reached = deletion != nil && !u.Enabled
			return pipeline.Result{Summary: undoableReadSummary(deletion, u.Enabled)}, nil
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
		return readBackOutcome{}, nil
	case out.Err != nil:
		return readBackOutcome{}, out.Err
	case deletion != nil:
		return b.settleUndoableDelete(ctx, *deletion, reached)
	}
	return readBackOutcome{reached: reached, known: true}, nil
}
