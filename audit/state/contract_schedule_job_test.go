package state

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// A deletion scheduled by a bulk job's target keeps that job and target,
// read back exactly by id and by its user (a resumed target finds its own
// deletion by them); one user's delete keeps none.
func TestScheduleKeepsTheBulkJobTargetThatMadeIt(t *testing.T) {
	t.Parallel()
	forEachStore(t, ownStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
		store := open(audit.WithClock(clock.Now)).(scheduleAPI)
		ctx := ctxT(t)
		sub := uid("sub")
		byJob := sampleSchedule(clock.Now(), sub)
		byJob.JobID, byJob.JobTarget, byJob.RequestID = "JOB7", 17, "bulk#JOB7#17"
		sc, err := store.CreateSchedule(ctx, byJob)
		if err != nil {
			t.Fatalf("CreateSchedule: %v", err)
		}
		got, err := store.GetSchedule(ctx, sc.ID)
		if err != nil || got.JobID != "JOB7" || got.JobTarget != 17 {
			t.Fatalf("GetSchedule = job %q target %d, %v; want JOB7 17", got.JobID, got.JobTarget, err)
		}
		mine, err := store.SchedulesFor(ctx, "us-east-1_p", sub)
		if err != nil || len(mine) != 1 || mine[0].JobID != "JOB7" || mine[0].JobTarget != 17 {
			t.Fatalf("SchedulesFor = %+v, %v; want the job's schedule with its job and target", mine, err)
		}
		other := uid("sub")
		single, err := store.CreateSchedule(ctx, sampleSchedule(clock.Now(), other))
		if err != nil {
			t.Fatalf("CreateSchedule: %v", err)
		}
		if got, err := store.GetSchedule(ctx, single.ID); err != nil || got.JobID != "" || got.JobTarget != 0 {
			t.Errorf("one user's schedule reads back job %q target %d, %v; want none", got.JobID, got.JobTarget, err)
		}
	})
}
