package flows

import (
	"context"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
	"go.uber.org/zap"
)

// UndoOp is the work of an undo of sc decided by who: read the user exactly,
// ask check (the policy, on the user with the groups the undo would put back)
// and change nothing when it refuses; then call the deletion off with a
// conditional write (an undo and the hard delete cannot both win), enable the
// user again and put back the groups they lost.
func (b *Flows) UndoOp(sc audit.Scheduled, pool config.Pool, who audit.Actor, check func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		u, err := GetExact(ctx, s.Users, pool.ID, desk.Identity{Username: sc.Target.Username, Sub: sc.Target.Sub})
		if err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err)}, err
		}
		now := *u
		now.Groups = UndoGroups(sc, u.Groups)
		if why := check(ctx, &now); why != "" {
			return pipeline.Result{}, desk.Refusedf("%s", refusalSentence(why))
		}
		if _, err := b.State.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled,
			audit.ScheduleUpdate{DecidedBy: &who, Result: "undone"}); err != nil {
			return pipeline.Result{}, err
		}
		return restoreUser(ctx, s, pool, sc, u)
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

// restoreUser enables u (as just read) again if they were enabled before the
// delete and puts back any group they have lost since; it says what it cannot
// bring back (the sessions the delete ended).
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

// UndoGroups is what the policy weighs for an undo of sc: undo is a change to
// the user, made to the groups they are in now (current, when known) and to
// the ones it puts them back in (the deletion snapshot's), so a protected
// group in either guards it.
func UndoGroups(sc audit.Scheduled, current []string) []string {
	out := slices.Clone(current)
	for _, g := range sc.Groups {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// MayUndo reports whether the policy lets req's actor undo sc here at once
// (no approval or reason to ask for),
// on the user's current groups (nil when not read) and the ones the undo
// would put back: whether to show an Undo button. The click is decided again.
func (b *Flows) MayUndo(ctx context.Context, req *transport.Request, sc audit.Scheduled, current []string) bool {
	d := b.Ask(ctx, req, policy.Request{Action: actions.Undo, Pool: sc.PoolName, TargetGroups: UndoGroups(sc, current)})
	return d.Verdict == policy.Allow && !d.NeedReason
}

// TellDeletionRequester tells whoever asked for deletion sc that by undid it,
// unless they undid it themselves: a deletion they asked for is not called
// off behind their back, however the undo was decided (at once or approved).
func (b *Flows) TellDeletionRequester(ctx context.Context, by audit.Actor, sc audit.Scheduled) {
	if pipeline.SameActor(by, sc.Requester) {
		return
	}
	msg := views.TrustedNotice("↩️ <@" + by.UserID + "> undid the deletion of *" + views.Escape(sc.Target.Username) +
		"* in *" + views.Escape(sc.PoolName) + "* you requested.")
	if err := b.DM(ctx, sc.Requester.UserID, msg); err != nil {
		b.Log.Warn("telling a deletion's requester of its undo", zap.String("schedule_id", sc.ID), zap.Error(err))
	}
}
