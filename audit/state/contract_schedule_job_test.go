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

// A user's schedules are found in any state by AllSchedulesFor: the deletion
// a bulk target made and a person then undid reads back called off, by whom,
// with its job and target, and one run to its end reads back done, while
// SchedulesFor (what still waits) shows neither. Another user's are not
// among them.
func TestAllSchedulesForFindsAUsersSchedulesInAnyState(t *testing.T) {
	t.Parallel()
	forEachStore(t, ownStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
		store := open(audit.WithClock(clock.Now)).(scheduleAPI)
		ctx := ctxT(t)
		sub := uid("sub")
		byJob := sampleSchedule(clock.Now(), sub)
		byJob.JobID, byJob.JobTarget = "JOB9", 4
		undone, err := store.CreateSchedule(ctx, byJob)
		if err != nil {
			t.Fatalf("CreateSchedule: %v", err)
		}
		ran, err := store.CreateSchedule(ctx, sampleSchedule(clock.Now().Add(time.Minute), sub))
		if err != nil {
			t.Fatalf("CreateSchedule: %v", err)
		}
		if _, err := store.CreateSchedule(ctx, sampleSchedule(clock.Now(), uid("sub"))); err != nil {
			t.Fatalf("CreateSchedule: %v", err)
		}
		admin := audit.Actor{UserID: "UADMIN2", TeamID: "T1", Name: "ana"}
		if _, err := store.MoveSchedule(ctx, undone.ID, audit.StatePending, audit.StateCancelled,
			audit.ScheduleUpdate{DecidedBy: &admin, Result: "undone"}); err != nil {
			t.Fatalf("undo: %v", err)
		}
		clock.Advance(73 * time.Hour)
		if _, err := store.MoveSchedule(ctx, ran.ID, audit.StatePending, audit.StateExecuting, audit.ScheduleUpdate{}); err != nil {
			t.Fatalf("claiming: %v", err)
		}
		if _, err := store.MoveSchedule(ctx, ran.ID, audit.StateExecuting, audit.StateDone, audit.ScheduleUpdate{Result: "Deleted"}); err != nil {
			t.Fatalf("finishing: %v", err)
		}

		all, err := store.AllSchedulesFor(ctx, "us-east-1_p", sub)
		if err != nil || len(all) != 2 {
			t.Fatalf("AllSchedulesFor = %+v, %v; want the undone and the done schedule", all, err)
		}
		got, done := all[0], all[1]
		if got.ID != undone.ID || got.State != audit.StateCancelled || got.DecidedBy.UserID != "UADMIN2" ||
			got.Target.Sub != sub || !got.MadeByJobTarget("JOB9", 4) {
			t.Errorf("the undone schedule reads back %+v; want CANCELLED by UADMIN2, made by JOB9's target 4", got)
		}
		if done.ID != ran.ID || done.State != audit.StateDone {
			t.Errorf("the run schedule reads back %s %s; want %s DONE", done.ID, done.State, ran.ID)
		}
		if waiting, err := store.SchedulesFor(ctx, "us-east-1_p", sub); err != nil || len(waiting) != 0 {
			t.Errorf("SchedulesFor = %+v, %v; want nothing waiting", waiting, err)
		}
	})
}
