package usercmd

import (
	"cmp"
	"context"
	"errors"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// ParseUndo parses `undo <user> [--pool] [--reason]`: restore a user whose
// deletion waits out its undo window.
func ParseUndo(b *OneUser, req *transport.Request, args []string) (Invocation, error) {
	a, err := b.ParseUserArgsWith(args, false, []string{"reason"}, nil)
	if err != nil {
		return Invocation{}, err
	}
	return Invocation{Run: func(ctx context.Context) error {
		u, err := b.ResolveOne(ctx, req, auditid.ForRequest(auditid.Find, req.Ref, string(actions.Undo), a.Query), a.Pool, flows.Typed(a.Query),
			flows.PickNext{Action: actions.Undo, Reason: a.Values["reason"]})
		if u == nil || err != nil {
			return err
		}
		return b.undoUser(ctx, req, a.Pool, u, a.Values["reason"])
	}}, nil
}

// undoUser undoes the deletion of u, or says (audited) that there is none.
func (b *OneUser) undoUser(ctx context.Context, req *transport.Request, pool config.Pool, u *cognito.User, reason string) error {
	sc, err := b.PendingDeletion(ctx, pool.ID, u.Sub)
	if err != nil {
		return err
	}
	if sc == nil {
		b.Pipe.Refuse(ctx, req.Pipe(), pipeline.Step{AuditID: auditid.ForRequest(auditid.Undo, req.Ref), Action: actions.Undo, Pool: pool.Name,
			Target: audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}, Phase: "check"},
			"not scheduled for deletion")
		b.Reply(ctx, req, views.Notice(u.Username+" is not scheduled for deletion, so there is nothing to undo. Nothing was changed."), desk.ReplyEphemeral)
		return nil
	}
	b.undoDeletion(ctx, req, *sc, reason, u)
	return nil
}

// UndoClick is the Undo button of a card: its value is the schedule's id, read
// back from the state table; the pipeline authorizes the clicker for undo.
func (b *OneUser) UndoClick(ctx context.Context, req *transport.Request, id string) {
	sc, err := b.State.GetSchedule(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound) || (err == nil && sc.Kind != audit.ScheduleHardDelete):
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return
	case err != nil:
		b.StateDown(ctx, req, err)
		return
	case sc.State != audit.StatePending:
		b.Reply(ctx, req, views.TrustedNotice(ScheduleDecidedText(sc)), desk.ReplyEphemeral)
		return
	}
	b.UndoDeletion(ctx, req, sc, "")
}

// UndoDeletion is one pipeline step: the intent, then the conditional write
// that calls the deletion off (an undo and the hard delete cannot both win),
// then enabling the user and putting back groups they lost. Every way to undo
// (the command, the card's and `scheduled`'s Undo) ends here.
func (b *OneUser) UndoDeletion(ctx context.Context, req *transport.Request, sc audit.Scheduled, reason string) {
	b.undoDeletion(ctx, req, sc, reason, nil)
}

// undoDeletion undoes sc for req's actor. Undo is a change to the user, so the
// policy weighs the groups it would put back (the deletion snapshot's) with
// the ones the user is in now (u's, when the command read the user; the
// operation reads them again and asks once more before it changes anything):
// a protected group's member is refused, audited, and nothing changes, unless
// an approval rule covers undo — then a typed undo is sent for approval.
func (b *OneUser) undoDeletion(ctx context.Context, req *transport.Request, sc audit.Scheduled, reason string, u *cognito.User) {
	pool, ok := b.Cfg.PoolByName(sc.PoolName)
	params := map[string]string{"schedule": sc.ID, "request": sc.RequestID, "pool_name": sc.PoolName, "requester": sc.Requester.UserID}
	if sc.ApprovalID != "" {
		// The deletion's approval, for the record: it approved the delete,
		// not its undo, so the step must not count as approved.
		params["deletion_approval"] = sc.ApprovalID
	}
	var current []string
	if u != nil {
		current = u.Groups
	}
	groups := flows.UndoGroups(sc, current)
	step := pipeline.Step{
		AuditID: auditid.ForAttempt(auditid.ForSchedule(auditid.Undo, sc.ID), req.Ref), Action: actions.Undo, Pool: sc.PoolName, Target: sc.Target,
		Reason: reason, Phase: "undo", Params: params,
		Policy: &policy.Request{TargetGroups: groups, Execute: true},
	}
	if !ok || pool.ID != sc.Target.Pool {
		b.Pipe.Refuse(ctx, req.Pipe(), step, "pool no longer configured")
		b.Reply(ctx, req, views.Notice("Nothing was done: the pool of this deletion is no longer configured."), desk.ReplyEphemeral)
		return
	}
	d := b.Ask(ctx, req, policy.Request{Action: actions.Undo, Pool: sc.PoolName, TargetGroups: groups, HasReason: reason != ""})
	if d.Verdict != policy.Allow || d.NeedReason {
		b.undoNotAtOnce(ctx, req, step, pool, sc, reason, u, d)
		return
	}
	step.Op = b.UndoOp(sc, pool, req.Actor, b.ExecuteCheck(ctx, req.Actor, req.Channel, sc.PoolName, actions.Undo, nil, false))
	out, done := b.Do(ctx, req, step)
	if !done {
		return
	}
	var conflict *audit.ScheduleConflict
	if errors.As(out.Err, &conflict) {
		b.Reply(ctx, req, views.TrustedNotice(ScheduleDecidedText(conflict.Current)), desk.ReplyEphemeral)
		return
	}
	b.Reply(ctx, req, b.ResultMessage(req, actions.Undo, pool, sc.Target.Username, out), b.ReplaceIfClicked(req))
	if out.Err == nil {
		b.TellDeletionRequester(ctx, req.Actor, sc)
	}
}

// undoNotAtOnce answers an undo the policy does not let run at once: refused
// (audited), or one that needs a reason or an approval — asked for with the
// command, which names the user; a typed undo is then sent for approval (or
// confirmation) like any single-user action, and runs the undo when decided.
func (b *OneUser) undoNotAtOnce(ctx context.Context, req *transport.Request, step pipeline.Step, pool config.Pool, sc audit.Scheduled, reason string, u *cognito.User, d policy.Decision) {
	typed := "`/cognito undo " + sc.Target.Username + " --reason \"…\"`"
	switch {
	case d.Verdict == policy.Deny:
		b.RefuseAsked(ctx, req, step, d)
	case u == nil:
		b.RefuseAsked(ctx, req, step, policy.Decision{Reason: "undoing this deletion needs " + cmp.Or(needs(d), "a reason") +
			" here; ask for it with " + typed})
	case d.NeedReason:
		b.RefuseAsked(ctx, req, step, policy.Decision{Reason: "undo needs a reason here; run " + typed})
	default:
		spec, _ := actions.Get(actions.Undo)
		args := map[string]string{jobs.UndoDeletionArg: sc.ID}
		if len(sc.Groups) > 0 {
			args[jobs.UndoGroupsArg] = strings.Join(sc.Groups, ", ") // shown to the approver; the undo reads the schedule
		}
		err := b.Prepare(ctx, req, flows.ActionRequest{Spec: spec, Pool: pool, Target: flows.Exactly(flows.IdentityOf(u)), Reason: reason,
			Args: args, PendingID: "p" + transport.HashKey(req.Ref, string(actions.Undo))}, u, d)
		if err != nil {
			b.Reply(ctx, req, views.Notice(b.UserMessage(err, req, string(actions.Undo))), desk.ReplyEphemeral)
		}
	}
}

// needs words what a decision waits for: "approval", "confirmation", or "".
func needs(d policy.Decision) string {
	switch d.Verdict {
	case policy.Approve:
		return "approval"
	case policy.Confirm:
		return "confirmation"
	}
	return ""
}

// ScheduleDecidedText tells a late clicker what became of a schedule.
func ScheduleDecidedText(sc audit.Scheduled) string {
	by := ""
	if sc.DecidedBy.UserID != "" {
		by = " by <@" + sc.DecidedBy.UserID + ">"
	}
	switch sc.State {
	case audit.StateCancelled:
		if sc.Kind == audit.ScheduleHardDelete {
			return "This deletion was already undone" + by + "."
		}
		return "This scheduled action was already cancelled" + by + "."
	case audit.StateExecuting:
		return "Too late: this is being carried out right now."
	case audit.StateDone:
		return "Too late: this was already carried out: " + views.Escape(sc.Result)
	case audit.StateFailed:
		return "This already ran and failed: " + views.Escape(sc.Result)
	}
	return "This can no longer be changed."
}
