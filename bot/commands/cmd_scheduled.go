package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// maxScheduledListed bounds what `scheduled` reads.
const maxScheduledListed = 200

// parseScheduled parses `scheduled`: the actions waiting to run, with Cancel.
func parseScheduled(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	if len(args) > 0 {
		return usercmd.Invocation{}, desk.Usagef("`scheduled` takes no arguments.")
	}
	return usercmd.Invocation{Run: func(ctx context.Context) error {
		var waiting []audit.Scheduled
		out, ok := b.Do(ctx, req, pipeline.Step{
			AuditID: auditid.ForRequest(auditid.ScheduleList, req.Ref), Action: actions.Scheduled, Phase: "list",
			Op: func(ctx context.Context, _ pipeline.Services) (pipeline.Result, error) {
				var err error
				if waiting, err = b.State.WaitingSchedules(ctx, maxScheduledListed); err != nil {
					return pipeline.Result{}, fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
				}
				return pipeline.Result{Summary: fmt.Sprintf("%d scheduled", len(waiting))}, nil
			},
		})
		if !ok {
			return nil
		}
		if out.Err != nil {
			return out.Err
		}
		full := len(waiting) >= maxScheduledListed
		b.Reply(ctx, req, views.ScheduledList(b.scheduledViews(ctx, req, b.scheduledInReach(ctx, req, waiting)), full), desk.ReplyEphemeral)
		return nil
	}}, nil
}

// scheduledViews shows schedules with Cancel (Undo for a final deletion)
// where the viewer may run that action in that pool here.
func (b *Commands) scheduledViews(ctx context.Context, req *transport.Request, list []audit.Scheduled) []views.ScheduledView {
	allowed := map[string][]actions.Action{}
	out := make([]views.ScheduledView, 0, len(list))
	for _, sc := range list {
		if _, seen := allowed[sc.PoolName]; !seen {
			allowed[sc.PoolName] = b.Policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, sc.PoolName)
		}
		need := actions.Action(sc.Action)
		if sc.Kind == audit.ScheduleHardDelete {
			need = actions.Undo
		}
		can := slices.Contains(allowed[sc.PoolName], need)
		if can && sc.Kind == audit.ScheduleHardDelete {
			can = b.MayUndo(ctx, req, sc, nil) // a protected member's undo is refused
		}
		out = append(out, views.ScheduledView{ID: sc.ID, Action: string(sc.Action), HardDelete: sc.Kind == audit.ScheduleHardDelete,
			Username: sc.Target.Username, Pool: sc.PoolName, At: sc.RunAt, By: desk.ToActorView(sc.Requester),
			ApprovedBy: desk.ToActorView(sc.ApprovedBy), CanCancel: can})
	}
	return out
}

// CancelScheduleClick is a scheduled action's Cancel button: one pipeline
// step as the clicker, who must be allowed that action on that pool here; the
// conditional write decides against the scheduler and other clicks.
func (b *Commands) CancelScheduleClick(ctx context.Context, req *transport.Request, id string) {
	sc, err := b.State.GetSchedule(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return
	case err != nil:
		b.StateDown(ctx, req, err)
		return
	case sc.State != audit.StatePending:
		b.Reply(ctx, req, views.TrustedNotice(usercmd.ScheduleDecidedText(sc)), desk.ReplyEphemeral)
		return
	case sc.Kind == audit.ScheduleHardDelete:
		b.UndoDeletion(ctx, req, sc, "")
		return
	}
	step := pipeline.Step{
		AuditID: auditid.ForSchedule(auditid.ScheduleCancel, sc.ID), Action: actions.Action(sc.Action), Pool: sc.PoolName, Target: sc.Target,
		ApprovalID: sc.ApprovalID, Reason: sc.Reason,
		Phase: "cancel-schedule", Params: map[string]string{"schedule": sc.ID, "request": sc.RequestID,
			"requester": sc.Requester.UserID, "outcome": "scheduled " + string(sc.Action) + " cancelled"},
	}
	var claimErr error
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.State.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled,
			audit.ScheduleUpdate{DecidedBy: &req.Actor, Result: "cancelled"})
		return claimErr
	}
	if _, ok := b.Do(ctx, req, step); !ok {
		return
	}
	var conflict *audit.ScheduleConflict
	switch {
	case errors.As(claimErr, &conflict):
		b.Reply(ctx, req, views.TrustedNotice(usercmd.ScheduleDecidedText(conflict.Current)), desk.ReplyEphemeral)
		return
	case claimErr != nil:
		b.StateDown(ctx, req, claimErr)
		return
	}
	text := "Cancelled: the scheduled " + views.Escape(string(sc.Action)) + " of *" + views.Escape(sc.Target.Username) + "* will not run."
	b.Reply(ctx, req, views.TrustedNotice(text), desk.ReplyEphemeral)
	if !pipeline.SameActor(req.Actor, sc.Requester) {
		_ = b.DM(ctx, sc.Requester.UserID, views.TrustedNotice("<@"+req.Actor.UserID+"> cancelled your scheduled "+views.Escape(string(sc.Action))+
			" of *"+views.Escape(sc.Target.Username)+"*."))
	}
}

// scheduledInReach keeps the schedules in pools where the policy gives the
// viewer `scheduled` here: a role limited to other pools does not see who is
// about to be disabled or deleted in this one.
func (b *Commands) scheduledInReach(ctx context.Context, req *transport.Request, list []audit.Scheduled) []audit.Scheduled {
	may := map[string]bool{}
	return slices.DeleteFunc(list, func(sc audit.Scheduled) bool {
		ok, seen := may[sc.PoolName]
		if !seen {
			ok = slices.Contains(b.Policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, sc.PoolName), actions.Scheduled)
			may[sc.PoolName] = ok
		}
		return !ok
	})
}
