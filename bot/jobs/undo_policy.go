package jobs

import (
	"context"
	"slices"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

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

// MayUndo reports whether the policy lets req's actor undo sc here at once,
// on the user's current groups (nil when not read) and the ones the undo
// would put back: whether to show an Undo button. The click is decided again.
func (b *Jobs) MayUndo(ctx context.Context, req *transport.Request, sc audit.Scheduled, current []string) bool {
	d := b.Ask(ctx, req, policy.Request{Action: actions.Undo, Pool: sc.PoolName, TargetGroups: UndoGroups(sc, current)})
	return d.Verdict == policy.Allow
}
