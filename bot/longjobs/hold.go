package longjobs

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
)

// One long check per person across the deployment, as one export: before a
// check job is recorded its id takes the person's check hold in the state
// table (a conditional write, so of two replicas taking two commands of one
// person at once exactly one starts a check). It is renewed when the job is
// recorded and by each runner that starts it, and released by the runner
// that ends it; it runs out by itself after checkHoldTTL, so a replica's
// crash cannot hold it forever. The check hold is not the export hold: a
// person may run one export and one check side by side, as each has its own
// answer and neither waits for the other.

// checkHoldTTL is how long a hold lasts unrenewed: one attempt at a check,
// with room to spare.
const checkHoldTTL = CheckTimeout + 5*time.Minute

// checkHoldFirst is how long a hold lasts until its job is recorded.
const checkHoldFirst = 2 * time.Minute

// checkHoldName is the hold a person's long check takes.
func checkHoldName(who audit.Actor) string { return "check/" + who.TeamID + "/" + who.UserID }

// hold gives who's check hold to job id, and reports whether it did: not
// when another of their checks has it.
func (b *Checks) hold(ctx context.Context, who audit.Actor, id string) (bool, error) {
	won, err := b.JobStore.Hold(ctx, checkHoldName(who), id, checkHoldFirst)
	if err != nil {
		return false, fmt.Errorf("holding the check: %w: %w", desk.ErrStateUnavailable, err)
	}
	return won, nil
}

// release frees who's check hold if job id has it.
func (b *Checks) release(ctx context.Context, who audit.Actor, id string) {
	if err := b.JobStore.Unhold(context.WithoutCancel(ctx), checkHoldName(who), id); err != nil {
		b.Log.Warn("releasing a check's hold; it runs out by itself", zap.String("job", id), zap.Error(err))
	}
}

// renew keeps the hold of a check job just recorded, or that a runner starts
// (again, after a takeover), for another checkHoldTTL. A hold lost meanwhile
// is only logged: the job is running and runs to its end.
func (b *Checks) renew(ctx context.Context, job audit.Job) {
	if won, err := b.JobStore.Hold(ctx, checkHoldName(job.Requester), job.ID, checkHoldTTL); err != nil || !won {
		b.Log.Warn("renewing a check's hold", zap.String("job", job.ID), zap.Bool("held", won), zap.Error(err))
	}
}
