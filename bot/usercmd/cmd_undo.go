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
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
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
	b.UndoDeletion(ctx, req, *sc, reason)
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
// then enabling the user and putting back groups they lost.
func (b *OneUser) UndoDeletion(ctx context.Context, req *transport.Request, sc audit.Scheduled, reason string) {
	pool, ok := b.Cfg.PoolByName(sc.PoolName)
	step := pipeline.Step{
		AuditID: auditid.ForAttempt(auditid.ForSchedule(auditid.Undo, sc.ID), req.Ref), Action: actions.Undo, Pool: sc.PoolName, Target: sc.Target,
		Reason: reason, ApprovalID: sc.ApprovalID,
		Phase: "undo", Params: map[string]string{"schedule": sc.ID, "request": sc.RequestID, "pool_name": sc.PoolName,
			"requester": sc.Requester.UserID},
	}
	if !ok || pool.ID != sc.Target.Pool {
		b.Pipe.Refuse(ctx, req.Pipe(), step, "pool no longer configured")
		b.Reply(ctx, req, views.Notice("Nothing was done: the pool of this deletion is no longer configured."), desk.ReplyEphemeral)
		return
	}
	step.Op = func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		if _, err := b.State.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled,
			audit.ScheduleUpdate{DecidedBy: &req.Actor, Result: "undone"}); err != nil {
			return pipeline.Result{}, err
		}
		return restoreUser(ctx, s, pool, sc)
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

// restoreUser enables the user again if they were enabled before the delete
// and puts back any group they have lost since; it says what it cannot bring
// back (the sessions the delete ended).
func restoreUser(ctx context.Context, s pipeline.Services, pool config.Pool, sc audit.Scheduled) (pipeline.Result, error) {
	u, err := flows.GetExact(ctx, s.Users, pool.ID, desk.Identity{Username: sc.Target.Username, Sub: sc.Target.Sub})
	if err != nil {
		return pipeline.Result{RequestID: cognito.RequestID(err)}, err
	}
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
