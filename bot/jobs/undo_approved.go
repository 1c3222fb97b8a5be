package jobs

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// UndoDeletionArg names, in an undo request that waits for approval, the
// deletion it calls off (the schedule's opaque id): approved, it undoes that
// deletion and no later one.
const UndoDeletionArg = "deletion"

// UndoGroupsArg shows the approver of an undo the groups it puts the user
// back in (the deletion snapshot's); only for the card: the undo itself reads
// them from the schedule.
const UndoGroupsArg = "groups"

// approvedUndoOp is the operation of a confirmed or approved undo (one that
// waited for an approval): the deletion it names, still waiting out its
// window, undone as UndoOp does, re-checked for the requester by
// stillAllowed. Nil for any other action.
func (b *Jobs) approvedUndoOp(spec actions.Spec, p audit.Pending, pool config.Pool, decider audit.Actor, stillAllowed func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error) {
	if spec.Action != actions.Undo {
		return nil
	}
	return func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		sc, err := b.PendingDeletion(ctx, pool.ID, p.Target.Sub)
		if err != nil {
			return pipeline.Result{}, err
		}
		if sc == nil || sc.ID != flows.ArgsOf(p.Params)[UndoDeletionArg] {
			return pipeline.Result{}, &desk.TargetChangedError{Detail: "the deletion this undo was asked for is no longer waiting (undone, or deleted for good)"}
		}
		res, err := b.UndoOp(*sc, pool, decider, stillAllowed)(ctx, s)
		if err == nil {
			b.TellDeletionRequester(context.WithoutCancel(ctx), p.Requester, *sc)
		}
		return res, err
	}
}
