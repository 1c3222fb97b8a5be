package jobs

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// RunSchedules runs every schedule that is due and closes those whose bot
// stopped while running them. Every replica calls it from its sweep; the
// conditional claim (MoveSchedule PENDING → EXECUTING) lets one run each.
func (b *Jobs) RunSchedules(ctx context.Context) {
	due, err := b.State.DueSchedules(ctx, b.Now(), 25)
	if err != nil {
		b.Log.Warn("listing due schedules", zap.Error(err))
	}
	for _, sc := range due {
		b.runSchedule(ctx, sc)
	}
	stuck, err := b.State.StuckSchedules(ctx, b.Now(), 25)
	if err != nil {
		b.Log.Warn("listing stuck schedules", zap.Error(err))
	}
	for _, sc := range stuck {
		b.abandonSchedule(ctx, sc)
	}
}

// scheduleAuditID is the audit id of a schedule's run.
func scheduleAuditID(sc audit.Scheduled) string {
	return auditid.ForSchedule(auditid.ScheduleRun, sc.ID)
}

// phaseHardDelete is the run of a delete's hard delete after its undo window.
const phaseHardDelete pipeline.Phase = "hard-delete"

// runSchedule runs one due schedule through the pipeline as its requester
// (re-authorized now: someone who has left the role cannot have it run), with
// an audit entry pointing at the request and the approval.
func (b *Jobs) runSchedule(ctx context.Context, sc audit.Scheduled) {
	spec, known := actions.Get(sc.Action)
	pool, poolOK := b.Cfg.PoolByName(sc.PoolName)
	step := pipeline.Step{
		AuditID: scheduleAuditID(sc), Action: sc.Action, Pool: sc.PoolName, Target: sc.Target,
		Reason: sc.Reason, ApprovalID: sc.ApprovalID,
		Phase: pipeline.Phase("scheduled-" + string(sc.Kind)),
		Params: flows.WithArgs(map[string]string{"schedule": sc.ID, "request": sc.RequestID,
			"approved_by": sc.ApprovedBy.UserID, "pool_name": sc.PoolName}, sc.Args),
		Claim: func(ctx context.Context) error {
			_, err := b.State.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateExecuting, audit.ScheduleUpdate{})
			return err
		},
	}
	if sc.Kind == audit.ScheduleHardDelete {
		step.Phase = phaseHardDelete
	}
	req := pipeline.Request{Actor: sc.Requester, Channel: sc.Channel, EnvelopeID: "schedule#" + sc.ID, Ref: "schedule#" + sc.ID}
	switch {
	case !known || spec.Op == nil:
		b.callOff(ctx, req, step, sc, "this bot no longer has the action "+string(sc.Action))
		return
	case !poolOK || pool.ID != sc.Target.Pool:
		b.callOff(ctx, req, step, sc, "the pool "+sc.PoolName+" is no longer configured")
		return
	}
	step.Op = b.scheduledOp(ctx, spec, pool, sc)
	out := b.Pipe.Do(ctx, req, step)
	switch {
	case out.Denied != "":
		b.callOff(ctx, req, pipeline.Step{}, sc, out.Denied)
		return
	case errors.Is(out.Err, audit.ErrConflict), out.Duplicate:
		return // another replica, an undo or a Cancel came first
	case errors.Is(out.Err, pipeline.ErrAuditUnavailable):
		return // claimed but never ran: the stuck sweep closes it and says so
	}
	final, result := audit.StateDone, out.Result.Summary
	if out.Err != nil {
		final, result = audit.StateFailed, b.UserMessage(out.Err, nil, string(sc.Action))
	}
	if _, err := b.State.MoveSchedule(ctx, sc.ID, audit.StateExecuting, final, audit.ScheduleUpdate{Result: result}); err != nil {
		b.Log.Warn("recording a schedule's outcome", zap.String("schedule", sc.ID), zap.Error(err))
	}
	b.tellScheduleOutcome(ctx, sc, out.Err == nil, result)
}

// scheduledOp is the Cognito work of a schedule: the hard delete after an
// undo window, or the scheduled action on the user it named exactly.
func (b *Jobs) scheduledOp(ctx context.Context, spec actions.Spec, pool config.Pool, sc audit.Scheduled) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	target := desk.Identity{Username: sc.Target.Username, Sub: sc.Target.Sub}
	if sc.Kind != audit.ScheduleHardDelete {
		// A scheduled delete, when due, waits out the undo window like any other.
		o := deletionOrigin{Requester: sc.Requester, ApprovedBy: sc.ApprovedBy, Channel: sc.Channel,
			ApprovalID: sc.ApprovalID, Reason: sc.Reason, Pool: pool}
		if soft, ok := b.softDeleteSpec(spec, sc.Args, o, nil); ok {
			spec = soft
		}
		// The policy re-checks it on the user as they are now, as for a
		// request carried out at once: one that was not approved must not
		// have come to need approval (the user joined a protected group).
		asked := audit.Pending{Kind: flows.KindConfirm, Requester: sc.Requester, Channel: sc.Channel, Reason: sc.Reason,
			Params: flows.WithArgs(map[string]string{}, sc.Args)}
		if sc.ApprovalID != "" {
			asked.Kind = flows.KindApproval
		}
		return flows.ExecOp(spec, pool, target, sc.Args, nil, b.PendingCheck(ctx, asked, pool, spec.Action))
	}
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		u, err := flows.GetExact(ctx, s.Users, pool.ID, target)
		switch {
		case errors.Is(err, cognito.ErrUserNotFound):
			return pipeline.Result{Summary: sc.Target.Username + " was already deleted"}, nil
		case err != nil:
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		case u.Enabled:
			return pipeline.Result{}, &desk.TargetChangedError{Detail: "they were enabled again since the delete, so they were not deleted"}
		}
		res, err := s.Users.DeleteUser(ctx, pool.ID, u.Username)
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		return pipeline.Result{Summary: "Deleted " + u.Username + " for good: the undo window ended", RequestID: res.RequestID,
			Resolved: &audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}}, nil
	}
}

// callOff ends a due schedule that may not run: the refusal is audited (when
// step is set; a pipeline denial already was), the schedule is claimed and
// marked failed, so it is not tried again, and the requester is told.
func (b *Jobs) callOff(ctx context.Context, req pipeline.Request, step pipeline.Step, sc audit.Scheduled, why string) {
	if step.AuditID != "" {
		b.Pipe.Refuse(ctx, req, step, why)
	}
	if _, err := b.State.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateExecuting, audit.ScheduleUpdate{}); err != nil {
		return // someone else decided first
	}
	result := "Not run: " + why + "."
	if sc.Kind == audit.ScheduleHardDelete {
		result += " The user stays disabled; delete them again, or undo."
	}
	if _, err := b.State.MoveSchedule(ctx, sc.ID, audit.StateExecuting, audit.StateFailed, audit.ScheduleUpdate{Result: result}); err != nil {
		b.Log.Warn("calling off a schedule", zap.String("schedule", sc.ID), zap.Error(err))
	}
	b.tellScheduleOutcome(ctx, sc, false, result)
}

// abandonSchedule closes a schedule whose bot stopped while running it: with
// its intent written the outcome is unknown, without one nothing ran.
func (b *Jobs) abandonSchedule(ctx context.Context, sc audit.Scheduled) {
	written, err := b.Pipe.IntentWritten(ctx, scheduleAuditID(sc))
	if err != nil {
		b.Log.Warn("reading a stuck schedule's intent", zap.String("schedule", sc.ID), zap.Error(err))
		return
	}
	message := flows.UnknownOutcome
	if !written {
		message = flows.NeverRan
	}
	if _, err := b.State.MoveSchedule(ctx, sc.ID, audit.StateExecuting, audit.StateFailed, audit.ScheduleUpdate{Result: message}); err != nil {
		return
	}
	if written {
		if _, err := b.Pipe.CloseAbandoned(ctx, scheduleAuditID(sc), "the bot stopped while running a schedule"); err != nil {
			b.Log.Warn("recording a stuck schedule's unknown outcome", zap.String("schedule", sc.ID), zap.Error(err))
		}
	}
	b.tellScheduleOutcome(ctx, sc, false, message)
}

// tellScheduleOutcome tells the requester what became of their schedule.
func (b *Jobs) tellScheduleOutcome(ctx context.Context, sc audit.Scheduled, ok bool, result string) {
	what := "Your scheduled " + string(sc.Action) + " of *" + views.Escape(sc.Target.Username) + "* in *" + views.Escape(sc.PoolName) + "*"
	if sc.Kind == audit.ScheduleHardDelete {
		what = "The deletion of *" + views.Escape(sc.Target.Username) + "* in *" + views.Escape(sc.PoolName) + "* (undo window ended)"
	}
	icon := "✅ "
	if !ok {
		icon = "❌ "
	}
	if err := b.DM(ctx, sc.Requester.UserID, views.TrustedNotice(icon+what+": "+views.Escape(result))); err != nil {
		b.Log.Warn("telling the requester about a schedule", zap.String("schedule", sc.ID), zap.Error(err))
	}
	if sc.Kind == audit.ScheduleAction && sc.Args[flows.BreakGlassArg] == "true" {
		// The approvers heard of it when it was scheduled; now of its end.
		pool, ok := b.Cfg.PoolByName(sc.PoolName)
		if !ok {
			pool = config.Pool{Name: sc.PoolName, ID: sc.Target.Pool}
		}
		p := audit.Pending{ID: sc.RequestID, Kind: flows.KindConfirm, Action: sc.Action, Target: sc.Target, Pool: sc.PoolName,
			Requester: sc.Requester, Channel: sc.Channel, Reason: sc.Reason, Params: flows.WithArgs(map[string]string{}, sc.Args)}
		b.AnnounceScheduledBreakGlass(ctx, p, pool, sc.ID, scheduleAuditID(sc), result)
	}
}
