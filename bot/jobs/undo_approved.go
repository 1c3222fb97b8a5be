package jobs

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// approvedUndoOp is the operation of a confirmed or approved undo (one that
// waited for an approval): the deletion of the request's user still waiting
// out its window, undone as UndoOp does, re-checked for the requester by
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
		if sc == nil {
			return pipeline.Result{}, &desk.TargetChangedError{Detail: "they are no longer scheduled for deletion (undone, or deleted for good)"}
		}
		return b.UndoOp(*sc, pool, decider, stillAllowed)(ctx, s)
	}
}
