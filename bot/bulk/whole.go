package bulk

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
)

// A whole job is long work done as one piece rather than target by target (an
// export of a pool): it is stored as a job of one target, so it runs on the
// same machinery as a bulk job — a lease one replica holds and renews, Cancel
// through CancelJob, and a takeover by another replica when its runner stops.
// A takeover starts the work again from the beginning under a new audit id and
// closes the stopped attempt's intent as "outcome unknown", so each audit entry
// gets exactly one outcome. The one target is settled (a conditional write by
// the lease holder) just before the result leaves the bot (Attempt.Deliver):
// a runner that lost the job can no longer deliver, and a takeover that finds
// the target settled delivers nothing again, so the result is sent at most
// once, and exactly once unless the runner dies while sending it.

// WholeOp is the work of a whole job, given by Config.Whole.
type WholeOp interface {
	// Run does the work. ctx ends when the job is cancelled, this runner loses
	// the lease, or the bot stops. Run calls a.Deliver before its result
	// leaves the bot and sends nothing when Deliver fails.
	Run(ctx context.Context, job audit.Job, a Attempt) (summary string, err error)
	// Finished is called once per job, by the runner that closed it:
	// delivered says the result was sent (or was being sent when an earlier
	// runner stopped); err is why the work failed, if it did.
	Finished(ctx context.Context, job audit.Job, summary string, delivered bool, err error)
}

// Attempt is one runner's attempt at a whole job.
type Attempt struct {
	// AuditID is the audit id of this attempt's intent; Resumes, when not
	// "", the intent of the attempt it replaces (closed already).
	AuditID, Resumes string
	// Deliver claims the right to send the result, once per job.
	Deliver func(ctx context.Context) error
}

// MaxWholeDefault is how many whole jobs one replica runs at once unless
// configured (Config.MaxWhole).
const MaxWholeDefault = 4

// StartWhole runs whole job id in the background if this replica has room
// and can take its lease; false means it has no room: the job waits for a
// replica that has (every replica's Loop looks for it).
func (r *Runner) StartWhole(ctx context.Context, id string) bool {
	slot, ok := r.ReserveWhole()
	if ok {
		slot.Start(ctx, id)
	}
	return ok
}

// runWhole is one runner's turn at a whole job: settle what an earlier runner
// left, run the work, close the job.
func (r *Runner) runWhole(ctx context.Context, job audit.Job, op WholeOp) {
	log := r.c.Logger.With(zap.String("job", job.ID), zap.String("action", string(job.Action)))
	hb := r.heartbeat(ctx, job)
	defer hb.stop()
	if job.Cancelled() {
		hb.cancelled.Store(true)
	}
	r.mu.Lock()
	r.turns[job.ID] = &turn{r: r, job: job, hb: hb, log: log}
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.turns, job.ID)
		r.mu.Unlock()
	}()
	targets, err := r.c.Store.JobTargets(ctx, job.ID, -1, 1)
	if err != nil || len(targets) == 0 {
		log.Warn("reading a whole job's target; the lease will lapse and the job resume", zap.Error(err))
		return
	}
	target, id, abandoned, ok := r.wholeAttempt(ctx, job, targets[0], log)
	if !ok {
		return
	}
	if target.State.Final() {
		// The earlier runner claimed the delivery and stopped: nothing is
		// sent again.
		r.closeWhole(ctx, job, op, hb, target.Note, true, nil, log)
		return
	}
	if hb.cancelled.Load() {
		// Cancelled before any runner started it: nothing to run.
		if _, err := r.c.Store.SettleTarget(ctx, job.ID, 0, r.c.Owner, audit.TargetFailed, "cancelled"); err != nil {
			log.Warn("settling a cancelled whole job's target", zap.Error(err))
			return
		}
		r.closeWhole(ctx, job, op, hb, "", false, nil, log)
		return
	}
	work, stop := context.WithCancel(ctx)
	defer stop()
	go r.watchWhole(work, hb, stop)
	delivered := false
	summary, runErr := r.runWholeOp(work, op, job, Attempt{AuditID: id, Resumes: abandoned, Deliver: func(dctx context.Context) error {
		if hb.cancelled.Load() || hb.lost.Load() {
			return context.Canceled
		}
		_, err := r.c.Store.SettleTarget(dctx, job.ID, 0, r.c.Owner, audit.TargetDone, "delivered")
		delivered = err == nil
		return err
	}}, log)
	switch {
	case hb.lost.Load():
		log.Info("lost the lease of a whole job; its new runner starts it again")
		return
	case ctx.Err() != nil && !hb.cancelled.Load() && !delivered:
		log.Info("stopping a whole job: shutting down; another runner starts it again")
		return
	}
	if !delivered {
		note := "cancelled"
		if runErr != nil && !hb.cancelled.Load() {
			note = runErr.Error()
		}
		if _, err := r.c.Store.SettleTarget(context.WithoutCancel(ctx), job.ID, 0, r.c.Owner, audit.TargetFailed, note); err != nil {
			log.Warn("settling a whole job's target; the lease will lapse and the job resume", zap.Error(err))
			return
		}
	}
	r.closeWhole(context.WithoutCancel(ctx), job, op, hb, summary, delivered, runErr, log)
}

// wholeAttempt claims the job's one target, or takes it over from the runner
// that stopped, closing that runner's open intent; it returns the audit id of
// this attempt and the intent it replaces. ok false: try again later.
func (r *Runner) wholeAttempt(ctx context.Context, job audit.Job, target audit.JobTarget, log *zap.Logger) (audit.JobTarget, string, string, bool) {
	if target.State == audit.TargetPending {
		claimed, err := r.c.Store.ClaimTarget(ctx, job.ID, 0, r.c.Owner)
		if err != nil {
			log.Warn("claiming a whole job's target", zap.Error(err))
			return target, "", "", false
		}
		return claimed, auditid.ForJobTarget(job.ID, 0), "", true
	}
	previous, id := target.Owner, auditid.ForJobTargetResume(job.ID, 0, r.c.Owner)
	if !target.State.Final() && previous != r.c.Owner {
		taken, err := r.c.Store.TakeTarget(ctx, job.ID, 0, previous, r.c.Owner)
		if err != nil {
			log.Warn("taking over a whole job's target", zap.Error(err))
			return target, "", "", false
		}
		target = taken
	}
	abandoned := ""
	for _, prev := range []string{auditid.ForJobTargetResume(job.ID, 0, previous), auditid.ForJobTarget(job.ID, 0)} {
		written, err := r.c.Pipeline.IntentWritten(ctx, prev)
		if err != nil {
			log.Warn("reading a whole job's audit entry", zap.Error(err))
			return target, "", "", false
		}
		if written {
			abandoned = prev
			break
		}
	}
	why := "its runner stopped; the work starts again from the beginning as " + id
	if target.State.Final() {
		why = "its runner stopped while delivering the result, which was sent at most once"
	}
	if abandoned != "" {
		if _, err := r.c.Pipeline.CloseAbandoned(ctx, abandoned, why); err != nil {
			log.Warn("closing an abandoned intent", zap.Error(err))
			return target, "", "", false
		}
	}
	if abandoned == id && !target.State.Final() {
		// This runner's own earlier attempt (it paused): a second attempt
		// under the same id cannot be audited, so the job ends failed.
		if _, err := r.c.Store.SettleTarget(ctx, job.ID, 0, r.c.Owner, audit.TargetFailed, pipelineUnknown); err != nil {
			return target, "", "", false
		}
		target.State, target.Note = audit.TargetFailed, pipelineUnknown
	}
	return target, id, abandoned, true
}

// pipelineUnknown is the note of a whole job this runner cannot attempt again.
const pipelineUnknown = "outcome unknown: the runner stopped during the work"

// watchWhole ends the work when the job is cancelled or the lease is lost.
func (r *Runner) watchWhole(work context.Context, hb *heartbeat, stop context.CancelFunc) {
	t := time.NewTicker(min(r.c.Heartbeat, 100*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-work.Done():
			return
		case <-t.C:
			if hb.cancelled.Load() || hb.lost.Load() {
				stop()
				return
			}
		}
	}
}

// closeWhole finishes the job, once, and tells the op when this runner did.
func (r *Runner) closeWhole(ctx context.Context, job audit.Job, op WholeOp, hb *heartbeat, summary string, delivered bool, runErr error, log *zap.Logger) {
	final := audit.JobFinished
	if hb.cancelled.Load() && !delivered {
		final, summary = audit.JobCancelled, "cancelled; nothing was sent"
	} else if runErr != nil && summary == "" {
		summary = runErr.Error()
	}
	ended, err := r.c.Store.FinishJob(ctx, job.ID, r.c.Owner, final, summary)
	if err != nil {
		log.Warn("closing a whole job", zap.Error(err))
		return
	}
	hb.stop()
	op.Finished(ctx, ended, summary, delivered, runErr)
}
