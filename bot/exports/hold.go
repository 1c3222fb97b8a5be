package exports

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
)

// One export per person across the deployment: before an export job is
// recorded its id holds the person's export hold in the state table (a
// conditional write, so of two replicas taking two commands of one person at
// once exactly one starts an export). Each runner that starts the job renews
// the hold, and the runner that ends it releases it; the hold runs out by
// itself after exportHoldTTL, so a replica's crash cannot hold it forever.

// exportHoldTTL is how long a hold lasts unrenewed: an export's whole run and
// upload, with room to spare.
const exportHoldTTL = exportTimeout + uploadTimeout + 5*time.Minute

// exportHoldFirst is how long a hold lasts until its job is recorded (then it
// is renewed for exportHoldTTL): a replica that dies in between holds the
// person's export only this long.
const exportHoldFirst = 2 * time.Minute

// errExportRunning says the person already has an export running.
var errExportRunning = desk.Refusedf("Nothing was started: the requester already has an export running. They can ask again when it has finished.")

// exportHoldName is the hold a person's export takes.
func exportHoldName(who audit.Actor) string { return "export/" + who.TeamID + "/" + who.UserID }

// holdExport gives who's export hold to job id, or says errExportRunning.
func (b *Exports) holdExport(ctx context.Context, who audit.Actor, id string) error {
	won, err := b.JobStore.Hold(ctx, exportHoldName(who), id, exportHoldFirst)
	switch {
	case err != nil:
		return fmt.Errorf("holding the export: %w: %w", desk.ErrStateUnavailable, err)
	case !won:
		return errExportRunning
	}
	return nil
}

// releaseExport frees who's export hold if job id has it.
func (b *Exports) releaseExport(ctx context.Context, who audit.Actor, id string) {
	if err := b.JobStore.Unhold(context.WithoutCancel(ctx), exportHoldName(who), id); err != nil {
		b.Log.Warn("releasing an export's hold; it runs out by itself", zap.String("job", id), zap.Error(err))
	}
}

// renewExportHold keeps the hold of an export job just recorded, or that a
// runner starts (again, after a takeover), for another exportHoldTTL. A hold lost meanwhile is only
// logged: the job is running and runs to its end.
func (b *Exports) renewExportHold(ctx context.Context, job audit.Job) {
	if won, err := b.JobStore.Hold(ctx, exportHoldName(job.Requester), job.ID, exportHoldTTL); err != nil || !won {
		b.Log.Warn("renewing an export's hold", zap.String("job", job.ID), zap.Bool("held", won), zap.Error(err))
	}
}
