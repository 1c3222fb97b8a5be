package jobs

import (
	"context"
	"errors"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// bulkSoftDelete is the JobOp of a bulk delete that waits out the undo
// window. Each target's schedule records the job and the target's index, so
// a target whose runner stopped after scheduling the deletion is recognised
// by the runner that resumes it: the deletion in place is this target's own,
// and the work is finished (disabled and signed out, safe to repeat) and the
// target done, where repeating the delete would find the deletion pending and
// refuse. A deletion pending from any other request still refuses, as for one
// user.
func (b *Jobs) bulkSoftDelete(spec actions.Spec, job audit.Job, o deletionOrigin, guard func(cognito.User) string) bulk.JobOp {
	forTarget := func(t audit.JobTarget) bulk.JobOp {
		o := o
		o.JobID, o.JobTarget = job.ID, t.Index
		soft, _ := b.softDeleteSpec(spec, job.Args, o, nil)
		return bulk.ActionJob(soft, guard)
	}
	return bulk.JobOp{
		Run: func(ctx context.Context, s pipeline.Services, call bulk.Caller, job audit.Job, t audit.JobTarget) (pipeline.Result, string, error) {
			return forTarget(t).Run(ctx, s, call, job, t)
		},
		Tokens: forTarget(audit.JobTarget{}).Tokens,
		Resume: func(ctx context.Context, s pipeline.Services, call bulk.Caller, job audit.Job, t audit.JobTarget) (pipeline.Result, bool, string, error) {
			sc, err := b.PendingDeletion(ctx, job.PoolID, t.Sub)
			if err != nil {
				return pipeline.Result{}, false, "", err
			}
			if sc != nil && madeByJobTarget(*sc, job.ID, t.Index) {
				res, err := b.finishOwnDeletion(ctx, s, call, job, t, *sc)
				return res, err == nil, "", err
			}
			return forTarget(t).Resume(ctx, s, call, job, t)
		},
	}
}

// madeByJobTarget reports whether sc is the deletion that target index of bulk
// job jobID made, by what the schedule stores exactly: the job and target it
// keeps; or, for a schedule written before schedules kept them, the intent id
// of the target's first attempt as its request. Text is never compared.
func madeByJobTarget(sc audit.Scheduled, jobID string, index int) bool {
	if sc.Kind != audit.ScheduleHardDelete || jobID == "" {
		return false
	}
	if sc.JobID != "" {
		return sc.JobID == jobID && sc.JobTarget == index
	}
	return sc.RequestID == auditid.ForJobTarget(jobID, index)
}

// finishOwnDeletion finishes target t's delete whose schedule sc an earlier
// attempt made before its runner stopped: the user read back must still be
// the target's (or gone: deleted already), and is disabled and signed out
// again (suspend is safe to repeat). As on a first run, a user who cannot be disabled has the deletion
// called off, and one disabled but not signed out is said to be so.
func (b *Jobs) finishOwnDeletion(ctx context.Context, s pipeline.Services, call bulk.Caller, job audit.Job, t audit.JobTarget, sc audit.Scheduled) (pipeline.Result, error) {
	var u *cognito.User
	err := call(ctx, "UserRead", func() (err error) {
		u, err = s.Users.GetUser(ctx, job.PoolID, t.Username)
		return err
	})
	switch {
	case errors.Is(err, cognito.ErrUserNotFound):
		// Deleted since (delete --now): what the job asked for, as a read
		// back of any delete finds it.
		return pipeline.Result{Summary: "Found " + t.Username + " already deleted (read back after its runner stopped)"}, nil
	case err != nil:
		return pipeline.Result{RequestID: cognito.RequestID(err)}, err
	}
	if u.Username != t.Username || u.Sub != sc.Target.Sub {
		return pipeline.Result{}, errors.New("target changed: this is no longer the user of the dry run (deleted and re-created?)")
	}
	suspend, _ := actions.Get(actions.Suspend)
	for range suspend.QuotaCallsPerRun() - 1 {
		if err := call(ctx, suspend.Quota, nil); err != nil {
			return pipeline.Result{}, err
		}
	}
	when := sc.RunAt.UTC().Format("2006-01-02 15:04 UTC")
	var res cognito.Result
	err = call(ctx, suspend.Quota, func() (err error) {
		res, err = suspend.Op(s.Users, ctx, job.PoolID, u.Username, nil)
		return err
	})
	var partly *actions.PartlyDoneError
	switch {
	case errors.As(err, &partly):
		partly.Done = "the user is disabled and will be deleted " + when
		return pipeline.Result{RequestID: cognito.RequestID(err)}, err
	case err != nil:
		_, _ = b.State.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled,
			audit.ScheduleUpdate{Result: "the user could not be disabled, so the deletion was called off"})
		return pipeline.Result{RequestID: cognito.RequestID(err)}, err
	}
	return pipeline.Result{
		Summary: "Found the deletion of " + u.Username + " already scheduled by this job (its runner stopped); " +
			"made sure they are disabled and signed out: deleted for good at " + when + " unless undone",
		RequestID: res.RequestID,
		Resolved:  &audit.Target{Pool: job.PoolID, Username: u.Username, Sub: u.Sub},
	}, nil
}
