package state

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

func sampleSchedule(now time.Time, sub string) audit.Scheduled {
	return audit.Scheduled{
		Kind: audit.ScheduleHardDelete, Action: "delete",
		Target: audit.Target{Pool: "us-east-1_p", Username: "dave-" + sub, Sub: sub}, PoolName: "prod",
		Requester: audit.Actor{UserID: "UREQ", TeamID: "T1"}, Channel: "C9",
		ApprovedBy: audit.Actor{UserID: "UAPP", TeamID: "T1"}, ApprovalID: "P1", RequestID: "exec#P1",
		RunAt:    now.Add(72 * time.Hour),
		Snapshot: &audit.DeletionSnapshot{Enabled: true, Attributes: map[string]string{"email": "d@example.com"}},
		Groups:   []string{"staff", "a,b"},
	}
}

// A schedule waits, is found by its user and when due, and exactly one of a
// run and an undo wins it.
func TestScheduleLifecycle(t *testing.T) {
	t.Parallel()
	forEachStore(t, ownStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
		store := open(audit.WithClock(clock.Now)).(scheduleAPI)
		ctx := ctxT(t)
		sub := uid("sub")
		sc, err := store.CreateSchedule(ctx, sampleSchedule(clock.Now(), sub))
		if err != nil {
			t.Fatalf("CreateSchedule: %v", err)
		}
		got, err := store.GetSchedule(ctx, sc.ID)
		if err != nil || got.State != audit.StatePending || len(got.Groups) != 2 || got.Groups[1] != "a,b" || got.ApprovedBy.UserID != "UAPP" {
			t.Fatalf("GetSchedule = %+v, %v", got, err)
		}
		mine, err := store.SchedulesFor(ctx, "us-east-1_p", sub)
		if err != nil || len(mine) != 1 || mine[0].ID != sc.ID {
			t.Fatalf("SchedulesFor = %v, %v; want the schedule", mine, err)
		}
		if due, _ := store.DueSchedules(ctx, clock.Now(), 10); len(due) != 0 {
			t.Errorf("not due yet, but DueSchedules = %v", due)
		}
		if _, err := store.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateExecuting, audit.ScheduleUpdate{}); !errors.Is(err, audit.ErrConflict) {
			t.Errorf("claiming before it is due: %v, want ErrConflict", err)
		}
		waiting, _ := store.WaitingSchedules(ctx, 10)
		if len(waiting) != 1 {
			t.Errorf("WaitingSchedules = %v", waiting)
		}
		clock.Advance(73 * time.Hour)
		due, err := store.DueSchedules(ctx, clock.Now(), 10)
		if err != nil || len(due) != 1 {
			t.Fatalf("DueSchedules = %v, %v", due, err)
		}
		if _, err := store.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateExecuting, audit.ScheduleUpdate{}); err != nil {
			t.Fatalf("claiming: %v", err)
		}
		var conflict *audit.ScheduleConflict
		_, err = store.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled, audit.ScheduleUpdate{DecidedBy: &audit.Actor{UserID: "U2", TeamID: "T1"}})
		if !errors.As(err, &conflict) || conflict.Current.State != audit.StateExecuting {
			t.Fatalf("undo after the run claimed it: %v, want a conflict showing EXECUTING", err)
		}
		if mine, _ := store.SchedulesFor(ctx, "us-east-1_p", sub); len(mine) != 0 {
			t.Errorf("a running schedule still shows on its user: %v", mine)
		}
		clock.Advance(10 * time.Minute)
		if stuck, _ := store.StuckSchedules(ctx, clock.Now(), 10); len(stuck) != 1 {
			t.Errorf("StuckSchedules = %v, want the running one", stuck)
		}
		done, err := store.MoveSchedule(ctx, sc.ID, audit.StateExecuting, audit.StateDone, audit.ScheduleUpdate{Result: "Deleted"})
		if err != nil || done.State != audit.StateDone || done.Result != "Deleted" {
			t.Fatalf("finishing: %+v %v", done, err)
		}
		if stuck, _ := store.StuckSchedules(ctx, clock.Now(), 10); len(stuck) != 0 {
			t.Errorf("a finished schedule is still stuck: %v", stuck)
		}
		if _, err := store.MoveSchedule(ctx, sc.ID, audit.StateDone, audit.StatePending, audit.ScheduleUpdate{}); !errors.Is(err, audit.ErrInvalidTransition) {
			t.Errorf("DONE → PENDING: %v", err)
		}
	})
}

// Undo wins a waiting schedule; the run then loses, and the user shows nothing.
func TestScheduleCancelBeatsRun(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
		store := open(audit.WithClock(clock.Now)).(scheduleAPI)
		ctx := ctxT(t)
		sub := uid("sub")
		sc, err := store.CreateSchedule(ctx, sampleSchedule(clock.Now(), sub))
		if err != nil {
			t.Fatal(err)
		}
		undone, err := store.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateCancelled, audit.ScheduleUpdate{DecidedBy: &audit.Actor{UserID: "U2", TeamID: "T1"}})
		if err != nil || undone.DecidedBy.UserID != "U2" || undone.DecidedAt.IsZero() {
			t.Fatalf("undo: %+v %v", undone, err)
		}
		clock.Advance(73 * time.Hour)
		if _, err := store.MoveSchedule(ctx, sc.ID, audit.StatePending, audit.StateExecuting, audit.ScheduleUpdate{}); !errors.Is(err, audit.ErrConflict) {
			t.Errorf("run after undo: %v, want ErrConflict", err)
		}
		if mine, _ := store.SchedulesFor(ctx, "us-east-1_p", sub); len(mine) != 0 {
			t.Errorf("an undone schedule still shows on its user: %v", mine)
		}
		bad := sampleSchedule(clock.Now(), sub)
		bad.RunAt = clock.Now().Add(-time.Minute)
		if _, err := store.CreateSchedule(ctx, bad); !errors.Is(err, audit.ErrInvalid) {
			t.Errorf("a schedule in the past: %v, want ErrInvalid", err)
		}
	})
}

// Of several replicas claiming the same key, exactly one is first.
func TestOnceIsOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		a, b := open().(onceAPI), open().(onceAPI)
		ctx := ctxT(t)
		key := uid("remind")
		results := make(chan bool, 8)
		for i := range 8 {
			s := a
			if i%2 == 1 {
				s = b
			}
			go func() {
				first, err := s.Once(ctx, key, time.Hour)
				if err != nil {
					t.Error(err)
				}
				results <- first
			}()
		}
		firsts := 0
		for range 8 {
			if <-results {
				firsts++
			}
		}
		if firsts != 1 {
			t.Errorf("%d callers were first, want 1", firsts)
		}
	})
}

type onceAPI interface {
	Once(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// A waiting request is marked escalated; a decided one is not.
func TestMarkEscalated(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		store := open()
		ctx := ctxT(t)
		p, err := store.Create(ctx, samplePending(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		esc := store.(interface {
			MarkEscalated(ctx context.Context, id string) error
		})
		if err := esc.MarkEscalated(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := store.Get(ctx, p.ID); !got.Escalated || got.State != audit.StatePending {
			t.Errorf("after MarkEscalated: %+v", got)
		}
		if _, err := store.Transition(ctx, p.ID, audit.StatePending, audit.StateCancelled, audit.Update{}); err != nil {
			t.Fatal(err)
		}
		if err := esc.MarkEscalated(ctx, p.ID); !errors.Is(err, audit.ErrConflict) {
			t.Errorf("escalating a decided request: %v, want ErrConflict", err)
		}
	})
}
