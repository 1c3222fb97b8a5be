package jobs

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// bulkDelete is the JobOp of a bulk delete. Within the undo window each
// target's schedule keeps the job and target index, so a target resumed after
// its runner stopped finds the deletion it made (MadeByJobTarget), finishes it
// (suspend, safe to repeat) and is done; any other pending deletion refuses.
// When a person undid that deletion before the target resumed, the target is
// skipped: the job does not delete the user again over the undo.
func (b *Jobs) bulkDelete(spec actions.Spec, job audit.Job, o deletionOrigin, guard func(cognito.User) string) bulk.JobOp {
	forTarget := func(t audit.JobTarget, guard func(cognito.User) string) bulk.JobOp {
		o := o
		o.JobID, o.JobTarget = job.ID, t.Index
		soft, _ := b.softDeleteSpec(spec, job.Args, o, nil)
		return bulk.ActionJob(soft, guard)
	}
	op := forTarget(audit.JobTarget{}, guard)
	op.Run = func(ctx context.Context, s pipeline.Services, call bulk.Caller, job audit.Job, t audit.JobTarget) (pipeline.Result, string, error) {
		return forTarget(t, guard).Run(ctx, s, call, job, t)
	}
	op.Resume = func(ctx context.Context, s pipeline.Services, call bulk.Caller, job audit.Job, t audit.JobTarget) (pipeline.Result, bool, string, error) {
		sc, err := b.PendingDeletion(ctx, job.PoolID, t.Sub)
		if err != nil {
			return pipeline.Result{}, false, "", err
		}
		if sc == nil {
			undone, err := b.undoneJobDeletion(ctx, job, t)
			if err != nil || undone != nil {
				return undoneResult(job, t, undone), err == nil, undoneReason(undone), err
			}
		}
		if sc == nil || !sc.MadeByJobTarget(job.ID, t.Index) {
			return forTarget(t, guard).Resume(ctx, s, call, job, t)
		}
		// Took effect: the guard was asked before, not again to finish it.
		res, gone, skip, err := forTarget(t, nil).Resume(ctx, s, call, job, t)
		switch {
		case err != nil:
		case gone:
			res.Summary = "Found " + t.Username + " already deleted (read back after its runner stopped)"
		default:
			res.Summary = "Found the deletion of " + t.Username + " already scheduled by this job (its runner stopped); made sure " +
				"they are disabled and signed out: deleted for good at " + sc.RunAt.UTC().Format("2006-01-02 15:04 UTC") + " unless undone"
		}
		return res, err == nil, skip, err
	}
	return op
}

// undoneJobDeletion is the deletion target t of job made of its user (matched
// exactly by sub) that a person then undid, nil when there is none.
func (b *Jobs) undoneJobDeletion(ctx context.Context, job audit.Job, t audit.JobTarget) (*audit.Scheduled, error) {
	if t.Sub == "" {
		return nil, nil
	}
	all, err := b.State.AllSchedulesFor(ctx, job.PoolID, t.Sub)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
	}
	for _, sc := range all {
		if sc.State == audit.StateCancelled && sc.DecidedBy.UserID != "" && sc.Target.Sub == t.Sub && sc.MadeByJobTarget(job.ID, t.Index) {
			return &sc, nil
		}
	}
	return nil, nil
}

// undoneReason is why a target whose deletion was undone is skipped.
func undoneReason(sc *audit.Scheduled) string {
	if sc == nil {
		return ""
	}
	return "its deletion by this job was undone by <@" + sc.DecidedBy.UserID + "> before the job resumed; not deleted again"
}

// undoneResult is the skipped target's outcome, as other skips word it.
func undoneResult(job audit.Job, t audit.JobTarget, sc *audit.Scheduled) pipeline.Result {
	if sc == nil {
		return pipeline.Result{}
	}
	return pipeline.Result{Summary: "Skipped " + t.Username + ": " + undoneReason(sc),
		Resolved: &audit.Target{Pool: job.PoolID, Username: sc.Target.Username, Sub: sc.Target.Sub}}
}
