package usercmd

import (
	"context"
	"errors"
	"slices"
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
	b.undoDeletion(ctx, req, *sc, reason, u.Groups)
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
// the ones the user is in now (current, when the caller read the user; the
// operation reads them again and asks once more before it changes anything):
// a protected group's member is refused, audited, and nothing changes.
func (b *OneUser) undoDeletion(ctx context.Context, req *transport.Request, sc audit.Scheduled, reason string, current []string) {
	pool, ok := b.Cfg.PoolByName(sc.PoolName)
	params := map[string]string{"schedule": sc.ID, "request": sc.RequestID, "pool_name": sc.PoolName, "requester": sc.Requester.UserID}
	if sc.ApprovalID != "" {
		// The deletion's approval, recorded for the record: it approved the
		// delete, not its undo, so the step must not count as approved.
		params["deletion_approval"] = sc.ApprovalID
	}
	groups := jobs.UndoGroups(sc, current)
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
	switch d := b.Ask(ctx, req, policy.Request{Action: actions.Undo, Pool: sc.PoolName, TargetGroups: groups, HasReason: reason != ""}); {
	case d.Verdict == policy.Deny:
		b.RefuseAsked(ctx, req, step, d)
		return
	case d.Verdict != policy.Allow:
		// Undo runs at once: it has no confirm prompt or approval to wait for.
		b.RefuseAsked(ctx, req, step, policy.Decision{Reason: "undo cannot wait for a confirmation or an approval (" + d.Reason + ")"})
		return
	}
	stillAllowed := b.ExecuteCheck(ctx, req.Actor, req.Channel, sc.PoolName, actions.Undo, nil, false)
	step.Op = func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		u, err := flows.GetExact(ctx, s.Users, pool.ID, desk.Identity{Username: sc.Target.Username, Sub: sc.Target.Sub})
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		// The user as they are now, with the groups the undo would put back.
		now := *u
		now.Groups = jobs.UndoGroups(sc, u.Groups)
		if why := stillAllowed(ctx, &now); why != "" {
			return pipeline.Result{}, desk.Refusedf("%s", refusalSentence(why))
		}
		if _, err := b.State.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled,
			audit.ScheduleUpdate{DecidedBy: &req.Actor, Result: "undone"}); err != nil {
			return pipeline.Result{}, err
		}
		return restoreUser(ctx, s, pool, sc, u)
	}
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
	if out.Err == nil && !pipeline.SameActor(req.Actor, sc.Requester) {
		msg := views.TrustedNotice("↩️ <@" + req.Actor.UserID + "> undid the deletion of *" + views.Escape(sc.Target.Username) +
			"* in *" + views.Escape(sc.PoolName) + "* you requested.")
		if err := b.DM(ctx, sc.Requester.UserID, msg); err != nil {
			b.LogInternal(transport.NewRef(), err, req, string(actions.Undo))
		}
	}
}

// refusalSentence is the policy's reason as the answer to a refused undo,
// saying that nothing was done.
func refusalSentence(why string) string {
	if strings.Contains(why, "Nothing was done") {
		return why
	}
	return "Not allowed: " + why + ". Nothing was done."
}

// restoreUser enables u (as just read) again if they were enabled before the delete
// and puts back any group they have lost since; it says what it cannot bring
// back (the sessions the delete ended).
func restoreUser(ctx context.Context, s pipeline.Services, pool config.Pool, sc audit.Scheduled, u *cognito.User) (pipeline.Result, error) {
	var done []string
	if (sc.Snapshot == nil || sc.Snapshot.Enabled) && !u.Enabled {
		if _, err := s.Users.EnableUser(ctx, pool.ID, u.Username); err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, &actions.PartlyDoneError{Done: "the deletion is called off",
				Failed: "enabling the user", Hint: "run `enable " + u.Username + "`", Err: err}
		}
		done = append(done, "enabled again")
	}
	var lost []string
	for _, g := range sc.Groups {
		if slices.Contains(u.Groups, g) {
			continue
		}
		if _, err := s.Users.AddToGroup(ctx, pool.ID, u.Username, g); err != nil {
			lost = append(lost, g)
			continue
		}
		done = append(done, "back in "+g)
	}
	note := "The deletion is called off"
	if len(done) > 0 {
		note += "; " + strings.Join(done, ", ")
	}
	note += ". Sessions the delete ended stay ended: they sign in again."
	if len(lost) > 0 {
		note += " Could not put them back in: " + strings.Join(lost, ", ") + "."
	}
	return pipeline.Result{Summary: "Restored " + u.Username + ": " + note, Note: note,
		Resolved: &audit.Target{Pool: pool.ID, Username: u.Username, Sub: u.Sub}}, nil
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
