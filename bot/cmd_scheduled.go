package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// maxScheduledListed bounds what `scheduled` reads.
const maxScheduledListed = 200

// parseScheduled parses `scheduled`: the actions waiting to run, with Cancel.
func parseScheduled(b *Bot, req *request, args []string) (invocation, error) {
	if len(args) > 0 {
		return invocation{}, usagef("`scheduled` takes no arguments.")
	}
	return invocation{Run: func(ctx context.Context) error {
		var waiting []audit.Scheduled
		out, ok := b.do(ctx, req, pipeline.Step{
			AuditID: "sched-list#" + transport.HashKey(req.Ref), Action: actions.Scheduled, Params: map[string]string{"phase": "list"},
			Op: func(ctx context.Context, _ pipeline.Services) (pipeline.Result, error) {
				var err error
				if waiting, err = b.state.WaitingSchedules(ctx, maxScheduledListed); err != nil {
					return pipeline.Result{}, fmt.Errorf("%w: %w", errStateUnavailable, err)
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
		b.reply(ctx, req, views.ScheduledList(b.scheduledViews(ctx, req, b.scheduledInReach(ctx, req, waiting)), full), replyEphemeral)
		return nil
	}}, nil
}

// scheduledViews shows schedules with Cancel (Undo for a final deletion)
// where the viewer may run that action in that pool here.
func (b *Bot) scheduledViews(ctx context.Context, req *request, list []audit.Scheduled) []views.ScheduledView {
	allowed := map[string][]actions.Action{}
	out := make([]views.ScheduledView, 0, len(list))
	for _, sc := range list {
		if _, seen := allowed[sc.PoolName]; !seen {
			allowed[sc.PoolName] = b.policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, sc.PoolName)
		}
		need := actions.Action(sc.Action)
		if sc.Kind == audit.ScheduleHardDelete {
			need = actions.Undo
		}
		out = append(out, views.ScheduledView{ID: sc.ID, Action: sc.Action, HardDelete: sc.Kind == audit.ScheduleHardDelete,
			Username: sc.Target.Username, Pool: sc.PoolName, At: sc.RunAt, By: toActorView(sc.Requester),
			ApprovedBy: toActorView(sc.ApprovedBy), CanCancel: slices.Contains(allowed[sc.PoolName], need)})
	}
	return out
}

// cancelScheduleClick is a scheduled action's Cancel button: one pipeline
// step as the clicker, who must be allowed that action on that pool here; the
// conditional write decides against the scheduler and other clicks.
func (b *Bot) cancelScheduleClick(ctx context.Context, req *request, id string) {
	sc, err := b.state.GetSchedule(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return
	case err != nil:
		b.stateDown(ctx, req, err)
		return
	case sc.State != audit.StatePending:
		b.reply(ctx, req, views.TrustedNotice(scheduleDecidedText(sc)), replyEphemeral)
		return
	case sc.Kind == audit.ScheduleHardDelete:
		b.undoDeletion(ctx, req, sc, "")
		return
	}
	step := pipeline.Step{
		AuditID: "sched-cancel#" + sc.ID, Action: actions.Action(sc.Action), Pool: sc.PoolName, Target: sc.Target,
		ApprovalID: sc.ApprovalID, Reason: sc.Reason,
		Params: map[string]string{"phase": "cancel-schedule", "schedule": sc.ID, "request": sc.RequestID,
			"requester": sc.Requester.UserID, "outcome": "scheduled " + sc.Action + " cancelled"},
	}
	var claimErr error
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.state.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled,
			audit.ScheduleUpdate{DecidedBy: &req.Actor, Result: "cancelled"})
		return claimErr
	}
	if _, ok := b.do(ctx, req, step); !ok {
		return
	}
	var conflict *audit.ScheduleConflict
	switch {
	case errors.As(claimErr, &conflict):
		b.reply(ctx, req, views.TrustedNotice(scheduleDecidedText(conflict.Current)), replyEphemeral)
		return
	case claimErr != nil:
		b.stateDown(ctx, req, claimErr)
		return
	}
	text := "Cancelled: the scheduled " + views.Escape(sc.Action) + " of *" + views.Escape(sc.Target.Username) + "* will not run."
	b.reply(ctx, req, views.TrustedNotice(text), replyEphemeral)
	if !pipeline.SameActor(req.Actor, sc.Requester) {
		_ = b.dm(ctx, sc.Requester.UserID, views.TrustedNotice("<@"+req.Actor.UserID+"> cancelled your scheduled "+views.Escape(sc.Action)+
			" of *"+views.Escape(sc.Target.Username)+"*."))
	}
}

// scheduledInReach keeps the schedules in pools where the policy gives the
// viewer `scheduled` here: a role limited to other pools does not see who is
// about to be disabled or deleted in this one.
func (b *Bot) scheduledInReach(ctx context.Context, req *request, list []audit.Scheduled) []audit.Scheduled {
	may := map[string]bool{}
	return slices.DeleteFunc(list, func(sc audit.Scheduled) bool {
		ok, seen := may[sc.PoolName]
		if !seen {
			ok = slices.Contains(b.policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, sc.PoolName), actions.Scheduled)
			may[sc.PoolName] = ok
		}
		return !ok
	})
}
