package jobs

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// softDeleteDone words a delete that waits out its undo window.
const softDeleteDone = "disabled, signed out and scheduled the deletion of"

// deletionOrigin is who a delete came from, kept with its schedule so the
// card, the hard delete's audit entry and an undo can name them.
type deletionOrigin struct {
	Requester, ApprovedBy audit.Actor
	Channel, ApprovalID   string
	Reason                string
	Pool                  config.Pool
	// JobID, JobTarget: the bulk job target it is for ("" for one user).
	JobID     string
	JobTarget int
}

// undoWindow is how long a delete with these args waits before it is final:
// 0 for `delete --now` or when the window is configured off.
func (b *Jobs) undoWindow(args map[string]string) time.Duration {
	if args["now"] == "true" {
		return 0
	}
	return b.Cfg.Delete.UndoWindow.Std()
}

// FlagArgs puts the action's given --flags into its args ("now": "true").
func FlagArgs(spec actions.Spec, f desk.Flags, args map[string]string) {
	for _, name := range flows.BoolFlagsOf(spec) {
		if f.Bools[name] {
			args[name] = "true"
		}
	}
}

// PromptDetail is what a confirm prompt says will happen, from the action
// and the request's args, whichever way the request came (typed, a card, a
// pick from matches, the reason form): break-glass, a time, the undo window.
func (b *Jobs) PromptDetail(ar flows.ActionRequest) string {
	detail := ar.Spec.Detail
	if w := b.undoWindow(ar.Args); ar.Spec.Action == actions.Delete && w > 0 {
		detail = "They are disabled and signed out everywhere now, and deleted permanently " + flows.HumanDuration(w) +
			" later unless someone runs `undo` before then. `delete --now` deletes at once."
	}
	if t, err := time.Parse(time.RFC3339, ar.Args[AtArg]); err == nil {
		detail = "Scheduled for " + t.Format("Mon 2006-01-02 15:04 -07:00") + " (" + t.UTC().Format("15:04 UTC") +
			"): it runs then as you, if you still may. " + detail
	}
	if ar.Args[flows.BreakGlassArg] == "true" {
		detail = "🚨 BREAK-GLASS: this runs without approval once you confirm; the approvers are told at once and the audit log marks it. " + detail
	}
	return detail
}

// WithPromptDetail is spec with the detail its prompts and dialogs show.
func (b *Jobs) WithPromptDetail(spec actions.Spec, args map[string]string) actions.Spec {
	spec.Detail = b.PromptDetail(flows.ActionRequest{Spec: spec, Args: args})
	return spec
}

// softDeleteSpec is spec with its operation replaced by the undoable delete
// when a delete waits out an undo window; ok is false (spec unchanged)
// otherwise. scheduled, when set, is told the schedule made.
func (b *Jobs) softDeleteSpec(spec actions.Spec, args map[string]string, o deletionOrigin, scheduled func(audit.Scheduled)) (actions.Spec, bool) {
	window := b.undoWindow(args)
	if spec.Action != actions.Delete || window <= 0 {
		return spec, false
	}
	suspend, _ := actions.Get(actions.Suspend)
	spec.Done, spec.QuotaCalls = softDeleteDone, 2
	spec.Op = func(d actions.UserOps, ctx context.Context, poolID, username string, _ map[string]string) (cognito.Result, error) {
		reader, ok := d.(interface {
			GetUser(ctx context.Context, poolID, username string) (*cognito.User, error)
		})
		if !ok {
			return cognito.Result{}, errors.New("this directory cannot read the user to keep a snapshot")
		}
		u, err := reader.GetUser(ctx, poolID, username)
		if err != nil {
			return cognito.Result{}, err
		}
		// Pending: refused, unless this bulk target made it (then finished).
		sc, err := b.PendingDeletion(ctx, poolID, u.Sub)
		switch {
		case err != nil:
			return cognito.Result{}, err
		case sc != nil && !sc.MadeByJobTarget(o.JobID, o.JobTarget):
			return cognito.Result{}, &desk.TargetChangedError{Detail: "they are already scheduled for deletion at " +
				sc.RunAt.UTC().Format("2006-01-02 15:04 UTC") + "; `delete --now` deletes them at once"}
		case sc == nil:
			made, err := b.State.CreateSchedule(ctx, audit.Scheduled{
				Kind: audit.ScheduleHardDelete, Action: actions.Delete,
				Target: audit.Target{Pool: poolID, Username: u.Username, Sub: u.Sub}, PoolName: o.Pool.Name,
				Reason: o.Reason, Requester: o.Requester, Channel: o.Channel, ApprovedBy: o.ApprovedBy, ApprovalID: o.ApprovalID,
				RequestID: pipeline.IntentID(ctx), JobID: o.JobID, JobTarget: o.JobTarget, RunAt: b.Now().Add(window),
				Snapshot: deletionSnapshot(u), Groups: u.Groups,
			})
			if err != nil {
				return cognito.Result{}, fmt.Errorf("scheduling the deletion, so nothing was done: %w: %w", desk.ErrStateUnavailable, err)
			}
			sc = &made
		}
		res, err := suspend.Op(d, ctx, poolID, username, nil)
		var partly *actions.PartlyDoneError
		switch {
		case errors.As(err, &partly):
			partly.Done = "the user is disabled and will be deleted " + sc.RunAt.UTC().Format("2006-01-02 15:04 UTC")
		case err != nil:
			// Not disabled: nothing may be deleted later either.
			_, _ = b.State.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled,
				audit.ScheduleUpdate{Result: "the user could not be disabled, so the deletion was called off"})
			return res, err
		}
		if scheduled != nil {
			scheduled(*sc)
		}
		return res, err
	}
	return spec, true
}

// undoableDeleteOp is the operation of a confirmed or approved delete that
// waits out the undo window, or nil when none applies (another action,
// --now, no window): the caller then runs the action as it is.
func (b *Jobs) undoableDeleteOp(spec actions.Spec, p audit.Pending, pool config.Pool, decider audit.Actor, snapshot *audit.TargetSnapshot, stillAllowed func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	o := deletionOrigin{Requester: p.Requester, Channel: p.Channel, Reason: p.Reason, Pool: pool}
	if p.Kind == flows.KindApproval {
		o.ApprovedBy, o.ApprovalID = decider, p.ID
	}
	args := flows.ArgsOf(p.Params)
	var runAt time.Time
	soft, ok := b.softDeleteSpec(spec, args, o, func(sc audit.Scheduled) { runAt = sc.RunAt })
	if !ok {
		return nil
	}
	run := flows.ExecOp(soft, pool, desk.Identity{Username: p.Target.Username, Sub: p.Target.Sub}, args, snapshot, stillAllowed)
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		res, err := run(ctx, s)
		if err == nil {
			res.Done = softDeleteDone
			when := runAt.UTC().Format("2006-01-02 15:04 UTC")
			res.Summary = flows.Capitalize(softDeleteDone) + " " + p.Target.Username + " at " + when
			res.Note = "They are deleted for good at " + when + "; until then `undo " + p.Target.Username +
				"` (or Undo on their card) restores them. " + res.Note
		}
		return res, err
	}
}

// deletionSnapshot is what an undo restores or says it cannot: whether the
// user was enabled, their status, MFA and attributes.
func deletionSnapshot(u *cognito.User) *audit.DeletionSnapshot {
	return &audit.DeletionSnapshot{Enabled: u.Enabled, Status: u.Status, PreferredMFA: u.PreferredMFA,
		MFA: slices.Clone(u.MFAMethods), Attributes: maps.Clone(u.Attributes)}
}

// PendingDeletion is the user's deletion waiting out its undo window, nil
// when there is none.
func (b *Jobs) PendingDeletion(ctx context.Context, poolID, sub string) (*audit.Scheduled, error) {
	if sub == "" {
		return nil, nil
	}
	waiting, err := b.State.SchedulesFor(ctx, poolID, sub)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
	}
	i := slices.IndexFunc(waiting, func(s audit.Scheduled) bool { return s.Kind == audit.ScheduleHardDelete })
	if i < 0 {
		return nil, nil
	}
	return &waiting[i], nil
}

// DeletionView is the card's "scheduled for deletion" line for u, with Undo
// when the viewer may undo it here (MayUndo); nil when u's deletion is not pending or the
// state table cannot say (the card still shows, as Cognito has it).
func (b *Jobs) DeletionView(ctx context.Context, req *transport.Request, pool config.Pool, u *cognito.User) *views.DeletionView {
	sc, err := b.PendingDeletion(ctx, pool.ID, u.Sub)
	if err != nil {
		b.Log.Warn("reading a user's pending deletion", zap.Error(err))
		return nil
	}
	if sc == nil {
		return nil
	}
	v := &views.DeletionView{At: sc.RunAt, RequestedBy: desk.ToActorView(sc.Requester), ApprovedBy: desk.ToActorView(sc.ApprovedBy)}
	if b.MayUndo(ctx, req, *sc, u.Groups) {
		v.UndoValue = sc.ID
	}
	return v
}

// DeletionsIn maps the subs of a pool's users whose deletion is pending to
// when it becomes final, for the list's marks.
func (b *Jobs) DeletionsIn(ctx context.Context, poolID string) map[string]time.Time {
	waiting, err := b.State.WaitingSchedules(ctx, 500)
	if err != nil {
		b.Log.Warn("reading pending deletions", zap.Error(err))
		return nil
	}
	out := map[string]time.Time{}
	for _, sc := range waiting {
		if sc.Kind == audit.ScheduleHardDelete && sc.Target.Pool == poolID && sc.Target.Sub != "" {
			out[sc.Target.Sub] = sc.RunAt
		}
	}
	return out
}

// BulkOps is the target work of a bulk job: the action table's, except that a
// bulk delete waits out the undo window like a delete of one user.
func (b *Jobs) BulkOps(ctx context.Context, job audit.Job) (bulk.JobOp, error) {
	spec, ok := actions.Get(actions.Action(job.Action))
	if !ok || spec.Action != actions.Delete {
		return bulk.TableOps(ctx, job, b.JobGuard)
	}
	o := deletionOrigin{Requester: job.Requester, Channel: job.Channel, Reason: job.Reason,
		Pool: config.Pool{Name: job.Pool, ID: job.PoolID}, ApprovalID: bulk.ApprovalID(job)}
	if !pipeline.SameActor(job.StartedBy, job.Requester) {
		o.ApprovedBy = job.StartedBy
	}
	return b.bulkDelete(spec, job, o, b.JobGuard(ctx, job)), nil
}
