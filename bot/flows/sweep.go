package flows

import (
	"cmp"
	"context"
	"errors"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// SweepLoop closes expired requests and abandoned actions on a timer. Every replica
// runs it; conditional writes make each closing happen once.
func (b *Flows) SweepLoop(ctx context.Context) {
	t := time.NewTicker(b.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.Sweep(ctx)
		}
	}
}

// Sweep expires every pending action past its deadline, and closes actions whose
// bot stopped while executing them, in batches.
func (b *Flows) Sweep(ctx context.Context) {
	due, err := b.State.DueForExpiry(ctx, b.Now(), 25)
	if err != nil {
		b.Log.Warn("listing expired requests", zap.Error(err))
	}
	for _, p := range due {
		b.expire(ctx, p)
	}
	stuck, err := b.State.StuckExecuting(ctx, b.Now(), 25)
	if err != nil {
		b.Log.Warn("listing stuck actions", zap.Error(err))
	}
	for _, p := range stuck {
		b.abandon(ctx, p)
	}
	b.closeOpenIntents(ctx)
	b.JobHooks.RunSchedules(ctx)
	b.remindApprovers(ctx)
}

// UnknownOutcome is what people are told about an action whose bot stopped mid-way.
const UnknownOutcome = "The bot stopped before this action's outcome was known. Check the user's current state before trying again."

// NeverRan is what they are told when the bot stopped after taking the action
// but before writing its audit intent: the operation only ever runs after it.
const NeverRan = "The bot stopped before acting on this, so nothing was done. Make the request again if it is still needed."

// abandon closes an action left EXECUTING by a bot that stopped (crash, kill, lost
// host), never running it again. With its audit intent written, the user is
// read back (readBack) when that tells whether it took effect: DONE or FAILED
// "not done", said as known; otherwise its outcome is unknown, said plainly.
// With no intent, nothing ran, and it says so. The intent gets the same outcome.
func (b *Flows) abandon(ctx context.Context, p audit.Pending) {
	job, started, err := b.startedJobOf(ctx, p)
	if err != nil {
		b.Log.Warn("reading a stuck approval's job", zap.String("pending_id", p.ID), zap.Error(err))
		return // the next sweep tries again
	}
	if started {
		b.settleStartedJob(ctx, p, job)
		return
	}
	intent := auditid.ForExec(p.ID)
	written, err := b.Pipe.IntentWritten(ctx, intent)
	if err != nil {
		b.Log.Warn("reading a stuck action's audit intent", zap.String("pending_id", p.ID), zap.Error(err))
		return // the next sweep tries again
	}
	var rb readBackOutcome
	if written {
		if rb, err = b.readBack(ctx, p); err != nil {
			b.Log.Warn("reading back a stuck action's user", zap.String("pending_id", p.ID), zap.Error(err))
			return // the next sweep tries again
		}
	}
	reached, known := rb.reached, rb.known
	final, message := audit.StateFailed, UnknownOutcome
	switch {
	case !written:
		message = NeverRan
	case reached:
		final, message = audit.StateDone, cmp.Or(rb.said, ReadBackDone)
	case known:
		message = cmp.Or(rb.said, ReadBackNotDone)
	}
	if _, err := b.State.Transition(ctx, p.ID, audit.StateExecuting, final, audit.Update{Result: message}); err != nil {
		if !errors.Is(err, audit.ErrConflict) {
			b.Log.Warn("closing a stuck action", zap.String("pending_id", p.ID), zap.Error(err))
		}
		return
	}
	b.Log.Error("closed an action whose bot stopped mid-way", zap.String("pending_id", p.ID),
		zap.String("action", string(p.Action)), zap.String("pool", p.Target.Pool), zap.Bool("outcome_unknown", written && !known))
	b.closeIntent(ctx, p, written, known, reached, message)
	pool, _ := b.PendingPool(p)
	if written && IsBreakGlass(p) {
		// The run the approvers are told of after every break-glass call
		// ended with its bot: they hear of it now, with what is known.
		b.AnnounceBreakGlass(ctx, p, pool, pipeline.Result{Summary: message}, nil)
	}
	if p.Kind == KindApproval {
		state := "failed"
		if reached {
			state = "approved"
		}
		b.CloseCard(ctx, &transport.Request{Actor: p.Requester}, p, b.ApprovalViewOf(p, pool),
			views.DecisionView{State: state, By: desk.ToActorView(p.DecidedBy), At: b.Now(), OK: reached, Result: message})
		return
	}
	words := Words(desk.ActionOf(p))
	words.Done = cmp.Or(rb.done, words.Done)
	m := views.ActionResult(views.ResultView{Action: string(p.Action), Words: words, Username: p.Target.Username, Pool: pool.Name,
		By: desk.ToActorView(p.DecidedBy), At: b.Now(), OK: reached, Message: message})
	if err := b.DM(ctx, p.Requester.UserID, m); err != nil {
		b.Log.Warn("telling the requester about a stuck action", zap.String("pending_id", p.ID), zap.Error(err))
	}
}

// closeIntent gives a stuck action's written intent its outcome: the one read
// back when known, else unknown.
func (b *Flows) closeIntent(ctx context.Context, p audit.Pending, written, known, reached bool, message string) {
	intent := auditid.ForExec(p.ID)
	var err error
	switch {
	case !written:
		return
	case reached:
		_, err = b.Pipe.CloseSettled(ctx, intent, audit.OutcomeOK, message)
	case known:
		_, err = b.Pipe.CloseSettled(ctx, intent, audit.OutcomeError, message)
	default:
		_, err = b.Pipe.CloseAbandoned(ctx, intent, "the bot stopped while executing")
	}
	if err != nil {
		b.Log.Warn("recording a stuck action's outcome", zap.String("pending_id", p.ID), zap.Error(err))
	}
}

// startedJobOf reads the bulk job an approval left executing was to start, and
// says whether this approval started it (started by its approver): then the
// bot stopped after the job began and before recording it, and the approval's
// outcome is known. A job that cannot be read is an error, not "not started".
func (b *Flows) startedJobOf(ctx context.Context, p audit.Pending) (audit.Job, bool, error) {
	id := p.Job
	if id == "" && p.Action == actions.Export {
		id = ExportJobOf(p.ID)
	}
	if p.Kind != KindApproval || id == "" || b.JobStore == nil {
		return audit.Job{}, false, nil
	}
	j, err := b.JobStore.GetJob(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		return audit.Job{}, false, nil
	case err != nil:
		return audit.Job{}, false, err
	}
	switch j.State {
	case audit.JobRunning, audit.JobFinished, audit.JobCancelled:
		by := j.StartedBy.UserID == p.DecidedBy.UserID && j.StartedBy.TeamID == p.DecidedBy.TeamID
		return j, by, nil
	}
	return audit.Job{}, false, nil
}

// settleStartedJob closes an approval whose job was started by a bot that
// stopped before saying so: the card says approved and started, as it would
// have, and the requester gets the progress message the stopped bot did not
// post; the job itself is run by whichever replica's runner takes its lease.
func (b *Flows) settleStartedJob(ctx context.Context, p audit.Pending, j audit.Job) {
	summary := JobStartedSummary(j)
	if _, err := b.State.Transition(ctx, p.ID, audit.StateExecuting, audit.StateDone, audit.Update{Result: summary}); err != nil {
		if !errors.Is(err, audit.ErrConflict) {
			b.Log.Warn("closing a stuck approval", zap.String("pending_id", p.ID), zap.Error(err))
		}
		return
	}
	b.Log.Warn("closed an approval whose bot stopped after starting its job", zap.String("pending_id", p.ID), zap.String("job", j.ID))
	if _, err := b.Pipe.CloseSettled(ctx, auditid.ForExec(p.ID), audit.OutcomeOK, summary); err != nil {
		b.Log.Warn("recording the approval's outcome", zap.String("pending_id", p.ID), zap.Error(err))
	}
	pool, _ := b.PendingPool(p)
	b.CloseCard(ctx, &transport.Request{Actor: p.Requester}, p, b.ApprovalViewOf(p, pool),
		views.DecisionView{State: "approved", By: desk.ToActorView(p.DecidedBy), At: b.Now(), OK: true, Result: startedResult(j)})
	if j.State == audit.JobRunning && j.MessageTS == "" {
		// The requester never got the progress message with its Cancel button.
		b.JobHooks.LaunchJob(ctx, j)
	}
}
