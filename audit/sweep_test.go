package audit

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// sweep is what a sweeper on every replica does: list what is due, try to expire each.
func sweep(t *testing.T, store *Store, now time.Time, expired map[string]int, mu *sync.Mutex) {
	for {
		due, err := store.DueForExpiry(t.Context(), now, 3)
		if err != nil {
			t.Errorf("DueForExpiry: %v", err)
			return
		}
		if len(due) == 0 {
			return
		}
		for _, p := range due {
			_, err := store.Transition(t.Context(), p.ID, StatePending, StateExpired, Update{})
			switch {
			case err == nil:
				mu.Lock()
				expired[p.ID]++
				mu.Unlock()
			case !errors.Is(err, ErrConflict):
				t.Errorf("expiring %s: %v", p.ID, err)
				return
			}
		}
	}
}

func TestTwoSweepersExpireEachItemOnce(t *testing.T) {
	client, tables := newTables(t) // own table: the test reads the whole due index
	t0 := time.Now().UTC().Truncate(time.Second)
	creator := NewStore(client, tables.State, WithClock(func() time.Time { return t0 }))
	ctx := ctxT(t)

	due := map[string]bool{}
	for i := range 10 {
		p := samplePending(t0)
		p.ExpiresAt = t0.Add(time.Duration(i+1) * time.Minute)
		c, err := creator.Create(ctx, p)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		due[c.ID] = true
	}
	later := samplePending(t0)
	later.ExpiresAt = t0.Add(48 * time.Hour)
	notDue, _ := creator.Create(ctx, later)
	running, _ := creator.Create(ctx, samplePending(t0))
	if _, err := creator.Transition(ctx, running.ID, StatePending, StateExecuting, Update{}); err != nil {
		t.Fatalf("PENDING→EXECUTING: %v", err)
	}

	now := t0.Add(time.Hour)
	got, err := creator.DueForExpiry(ctx, now, 100)
	if err != nil || len(got) != len(due) {
		t.Fatalf("DueForExpiry: %d items, err %v; want %d", len(got), err, len(due))
	}
	for i, p := range got {
		if !due[p.ID] || (i > 0 && p.ExpiresAt.Before(got[i-1].ExpiresAt)) {
			t.Fatalf("DueForExpiry returned %s (deadline %v) out of order or not due", p.ID, p.ExpiresAt)
		}
	}
	if early, _ := creator.DueForExpiry(ctx, t0.Add(3*time.Minute), 100); len(early) != 3 {
		t.Errorf("DueForExpiry at +3m: %d items, want 3 (deadline == now counts)", len(early))
	}

	var mu sync.Mutex
	expired := map[string]int{}
	var wg sync.WaitGroup
	for range 2 {
		sweeper := NewStore(client, tables.State, WithClock(func() time.Time { return now }))
		wg.Go(func() { sweep(t, sweeper, now, expired, &mu) })
	}
	wg.Wait()

	if len(expired) != len(due) {
		t.Errorf("expired %d items, want %d", len(expired), len(due))
	}
	for id, n := range expired {
		if n != 1 || !due[id] {
			t.Errorf("item %s expired %d times (due %v)", id, n, due[id])
		}
		if p, _ := creator.Get(ctx, id); p.State != StateExpired || p.Version != 2 {
			t.Errorf("item %s: state %s version %d", id, p.State, p.Version)
		}
	}
	for id, want := range map[string]State{notDue.ID: StatePending, running.ID: StateExecuting} {
		if p, _ := creator.Get(ctx, id); p.State != want {
			t.Errorf("item %s: state %s, want %s", id, p.State, want)
		}
	}
	if rest, err := creator.DueForExpiry(ctx, now, 100); err != nil || len(rest) != 0 {
		t.Errorf("DueForExpiry after sweeping: %d items, err %v", len(rest), err)
	}
}

func TestStuckExecutingIsFoundOnlyAfterTheTimeout(t *testing.T) {
	client, tables := newTables(t)
	t0 := time.Now().UTC().Truncate(time.Second)
	clock := func() time.Time { return t0 }
	store := NewStore(client, tables.State, WithClock(clock), WithExecutingTimeout(2*time.Minute))
	ctx := ctxT(t)

	stuck, _ := store.Create(ctx, samplePending(t0))
	finished, _ := store.Create(ctx, samplePending(t0))
	waiting, _ := store.Create(ctx, samplePending(t0))
	for _, id := range []string{stuck.ID, finished.ID} {
		if _, err := store.Transition(ctx, id, StatePending, StateExecuting, Update{}); err != nil {
			t.Fatalf("PENDING→EXECUTING: %v", err)
		}
	}
	if _, err := store.Transition(ctx, finished.ID, StateExecuting, StateDone, Update{Result: "ok"}); err != nil {
		t.Fatalf("EXECUTING→DONE: %v", err)
	}

	if early, err := store.StuckExecuting(ctx, t0.Add(time.Minute), 10); err != nil || len(early) != 0 {
		t.Fatalf("before the timeout: %d stuck (err %v), want none", len(early), err)
	}
	got, err := store.StuckExecuting(ctx, t0.Add(3*time.Minute), 10)
	if err != nil || len(got) != 1 || got[0].ID != stuck.ID {
		t.Fatalf("after the timeout: %+v (err %v), want only %s", got, err, stuck.ID)
	}
	if _, err := store.Transition(ctx, stuck.ID, StateExecuting, StateFailed, Update{Result: "outcome unknown"}); err != nil {
		t.Fatalf("EXECUTING→FAILED: %v", err)
	}
	if again, _ := store.StuckExecuting(ctx, t0.Add(3*time.Minute), 10); len(again) != 0 {
		t.Errorf("a failed item is still reported stuck: %+v", again)
	}
	// A pending item never shows up as stuck, and a stuck one never as due for expiry.
	if due, _ := store.DueForExpiry(ctx, t0.Add(48*time.Hour), 10); len(due) != 1 || due[0].ID != waiting.ID {
		t.Errorf("DueForExpiry = %+v, want only the waiting item", due)
	}
}
