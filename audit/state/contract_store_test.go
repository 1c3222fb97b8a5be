package state

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

func TestStoreCreateAndGet(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
		store := open(audit.WithClock(clock.Now))
		ctx := ctxT(t)

		in := samplePending(clock.Now())
		in.State, in.Version, in.Result = audit.StateDone, 9, "ignored" // Create resets these
		p, err := store.Create(ctx, in)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if !regexp.MustCompile(`^[A-Z2-7]{26}$`).MatchString(p.ID) {
			t.Errorf("ID %q is not 26 base32 characters", p.ID)
		}
		if p.State != audit.StatePending || p.Version != 1 || p.Result != "" || !p.CreatedAt.Equal(clock.Now()) {
			t.Errorf("Create returned state %s version %d result %q created %v", p.State, p.Version, p.Result, p.CreatedAt)
		}
		if p.Params["arg.attr:custom:zip_code"] != "90210" || p.Params["notify"] != "yes" {
			t.Errorf("Create stored params %v; a pending action's params are what will be done, stored exactly", p.Params)
		}
		got, err := store.Get(ctx, p.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if !reflect.DeepEqual(got, p) { // the snapshot is a pointer: compared by value
			t.Errorf("Get differs from Create:\n got %+v\nwant %+v", got, p)
		}

		again := in
		again.ID = p.ID
		if _, err := store.Create(ctx, again); !errors.Is(err, audit.ErrDuplicate) {
			t.Errorf("Create with a used id: got %v, want ErrDuplicate", err)
		}
		if _, err := store.Get(ctx, audit.NewID()); !errors.Is(err, audit.ErrNotFound) {
			t.Errorf("Get of unknown id: got %v, want ErrNotFound", err)
		}
		long := samplePending(clock.Now())
		long.Params = map[string]string{"arg.attr:custom:bio": strings.Repeat("é", audit.MaxStateParamValue/2)}
		if p, err := store.Create(ctx, long); err != nil {
			t.Errorf("Create with a value of Cognito's longest: %v", err)
		} else if got, _ := store.Get(ctx, p.ID); got.Params["arg.attr:custom:bio"] != long.Params["arg.attr:custom:bio"] {
			t.Error("a long value did not come back exactly")
		}
		for name, bad := range map[string]func(*audit.Pending){
			"kind":      func(p *audit.Pending) { p.Kind = "maybe" },
			"requester": func(p *audit.Pending) { p.Requester.TeamID = "" },
			"deadline":  func(p *audit.Pending) { p.ExpiresAt = clock.Now().Add(-time.Second) },
			"password":  func(p *audit.Pending) { p.Params["temporary_password"] = "Secr3t!" },
			"too long": func(p *audit.Pending) {
				p.Params["arg.attr:custom:bio"] = strings.Repeat("x", audit.MaxStateParamValue+1)
			},
		} {
			p := samplePending(clock.Now())
			bad(&p)
			if _, err := store.Create(ctx, p); !errors.Is(err, audit.ErrInvalid) {
				t.Errorf("Create with bad %s: got %v, want ErrInvalid", name, err)
			}
		}
	})
}

func TestStoreTransitionRaceHasOneWinner(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		store := open()
		ctx := ctxT(t)
		p, err := store.Create(ctx, samplePending(time.Now()))
		if err != nil {
			t.Fatalf("Create: %v", err)
		}

		const racers = 20
		var (
			wg      sync.WaitGroup
			start   = make(chan struct{})
			results = make([]error, racers)
			won     = make([]audit.Pending, racers)
		)
		for i := range racers {
			wg.Go(func() {
				<-start
				by := audit.Actor{UserID: fmt.Sprintf("U%02d", i), TeamID: "T1", Name: "approver"}
				won[i], results[i] = store.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &by})
			})
		}
		close(start)
		wg.Wait()

		winner := -1
		for i, err := range results {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("two winners: %d and %d", winner, i)
				}
				winner = i
			}
		}
		if winner < 0 {
			t.Fatalf("no winner: %v", results)
		}
		w := won[winner]
		if w.State != audit.StateExecuting || w.Version != 2 || w.DecidedBy.UserID != fmt.Sprintf("U%02d", winner) || w.DecidedAt.IsZero() {
			t.Errorf("winner got %+v", w)
		}
		for i, err := range results {
			if i == winner {
				continue
			}
			var te *audit.TransitionError
			if !errors.Is(err, audit.ErrConflict) || !errors.As(err, &te) || errors.Is(err, audit.ErrExpired) {
				t.Errorf("racer %d: got %v, want a TransitionError matching ErrConflict only", i, err)
				continue
			}
			if te.Current.State != audit.StateExecuting || te.Current.DecidedBy != w.DecidedBy {
				t.Errorf("racer %d saw state %s decided by %+v, want EXECUTING by %+v", i, te.Current.State, te.Current.DecidedBy, w.DecidedBy)
			}
		}

		// The winner finishes; DecidedBy stays the approver.
		done, err := store.Transition(ctx, p.ID, audit.StateExecuting, audit.StateDone, audit.Update{Result: "deleted"})
		if err != nil {
			t.Fatalf("EXECUTING→DONE: %v", err)
		}
		got, err := store.Get(ctx, p.ID)
		if err != nil || got.State != audit.StateDone || got.Version != 3 || got.Result != "deleted" || got.DecidedBy != w.DecidedBy {
			t.Errorf("after DONE: Get %+v, err %v", got, err)
		}
		if !reflect.DeepEqual(got, done) {
			t.Errorf("Transition returned %+v, Get %+v", done, got)
		}
		// A repeat of the finished move loses with the final state.
		_, err = store.Transition(ctx, p.ID, audit.StateExecuting, audit.StateFailed, audit.Update{})
		var te *audit.TransitionError
		if !errors.As(err, &te) || te.Current.State != audit.StateDone {
			t.Errorf("EXECUTING→FAILED after DONE: got %v, want conflict with DONE", err)
		}
	})
}

func TestStoreExpiredPendingCannotExecute(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC())
		store := open(audit.WithClock(clock.Now))
		ctx := ctxT(t)
		p, err := store.Create(ctx, samplePending(clock.Now())) // deadline in 15 minutes
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if _, err := store.Transition(ctx, p.ID, audit.StatePending, audit.StateExpired, audit.Update{}); !errors.Is(err, audit.ErrConflict) || errors.Is(err, audit.ErrExpired) {
			t.Errorf("PENDING→EXPIRED before the deadline: got %v, want ErrConflict (not due yet)", err)
		}

		clock.Advance(16 * time.Minute)
		approver := audit.Actor{UserID: "UAPP", TeamID: "T1"}
		for _, to := range []audit.State{audit.StateExecuting, audit.StateRejected} {
			_, err := store.Transition(ctx, p.ID, audit.StatePending, to, audit.Update{DecidedBy: &approver})
			var te *audit.TransitionError
			if !errors.Is(err, audit.ErrConflict) || !errors.Is(err, audit.ErrExpired) || !errors.As(err, &te) || te.Current.State != audit.StatePending {
				t.Errorf("PENDING→%s after the deadline: got %v, want ErrConflict+ErrExpired with state PENDING", to, err)
			}
		}
		if got, _ := store.Get(ctx, p.ID); got.State != audit.StatePending || got.Version != 1 || got.DecidedBy != (audit.Actor{}) {
			t.Errorf("a lost transition changed the item: %+v", got)
		}
		exp, err := store.Transition(ctx, p.ID, audit.StatePending, audit.StateExpired, audit.Update{})
		if err != nil || exp.State != audit.StateExpired || exp.Version != 2 {
			t.Fatalf("PENDING→EXPIRED after the deadline: %+v, %v", exp, err)
		}
		_, err = store.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &approver})
		if !errors.Is(err, audit.ErrExpired) {
			t.Errorf("PENDING→EXECUTING on an EXPIRED item: got %v, want ErrExpired", err)
		}
	})
}

func TestStoreCancelAndRejectKeepRequesterReason(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC())
		store := open(audit.WithClock(clock.Now))
		ctx := ctxT(t)

		p, _ := store.Create(ctx, samplePending(clock.Now()))
		approver := audit.Actor{UserID: "UAPP", TeamID: "T1", Name: "frank"}
		rej, err := store.Transition(ctx, p.ID, audit.StatePending, audit.StateRejected, audit.Update{
			DecidedBy: &approver, Reason: "no ticket", CardChannel: "CAPPROVALS", CardTS: "1700000000.000100",
		})
		if err != nil {
			t.Fatalf("PENDING→REJECTED: %v", err)
		}
		if rej.Reason != "ticket 7" || rej.DecisionReason != "no ticket" || rej.DecidedBy != approver ||
			!rej.DecidedAt.Equal(clock.Now()) || rej.CardChannel != "CAPPROVALS" || rej.CardTS != "1700000000.000100" {
			t.Errorf("rejected item: %+v", rej)
		}

		// Cancelling is allowed even after the deadline.
		q, _ := store.Create(ctx, samplePending(clock.Now()))
		clock.Advance(time.Hour)
		requester := q.Requester
		if c, err := store.Transition(ctx, q.ID, audit.StatePending, audit.StateCancelled, audit.Update{DecidedBy: &requester}); err != nil || c.State != audit.StateCancelled {
			t.Errorf("PENDING→CANCELLED after the deadline: %+v, %v", c, err)
		}
	})
}

func TestStoreInvalidOrWrongMoveLeavesItemUnchanged(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		store := open()
		ctx := ctxT(t)
		p, _ := store.Create(ctx, samplePending(time.Now()))
		if _, err := store.Transition(ctx, p.ID, audit.StatePending, audit.StateDone, audit.Update{Result: "x"}); !errors.Is(err, audit.ErrInvalidTransition) {
			t.Fatalf("PENDING→DONE: got %v", err)
		}
		if got, _ := store.Get(ctx, p.ID); got.State != audit.StatePending || got.Version != 1 || got.Result != "" {
			t.Errorf("item changed: %+v", got)
		}
		if _, err := store.Transition(ctx, audit.NewID(), audit.StatePending, audit.StateExecuting, audit.Update{}); !errors.Is(err, audit.ErrNotFound) {
			t.Errorf("Transition of unknown id: got %v, want ErrNotFound", err)
		}
		// A wrong "from" loses like a race, reporting the real state.
		var te *audit.TransitionError
		if _, err := store.Transition(ctx, p.ID, audit.StateExecuting, audit.StateDone, audit.Update{}); !errors.As(err, &te) || te.Current.State != audit.StatePending {
			t.Errorf("EXECUTING→DONE on a PENDING item: got %v", err)
		}
	})
}

func TestStoreSetCard(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		store := open()
		ctx := ctxT(t)
		p, _ := store.Create(ctx, samplePending(time.Now()))
		if err := store.SetCard(ctx, p.ID, "CAPPROVALS", "1700000000.000200"); err != nil {
			t.Fatalf("SetCard: %v", err)
		}
		got, err := store.Get(ctx, p.ID)
		if err != nil || got.CardChannel != "CAPPROVALS" || got.CardTS != "1700000000.000200" || got.Version != 2 || got.State != audit.StatePending {
			t.Errorf("after SetCard: %+v, %v", got, err)
		}
		if err := store.SetCard(ctx, audit.NewID(), "C", "1"); !errors.Is(err, audit.ErrNotFound) {
			t.Errorf("SetCard of unknown id: got %v, want ErrNotFound", err)
		}
	})
}

// sweep is what a sweeper on every replica does: list what is due, try to expire each.
func sweep(t *testing.T, store storeAPI, now time.Time, expired map[string]int, mu *sync.Mutex) {
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
			_, err := store.Transition(t.Context(), p.ID, audit.StatePending, audit.StateExpired, audit.Update{})
			switch {
			case err == nil:
				mu.Lock()
				expired[p.ID]++
				mu.Unlock()
			case !errors.Is(err, audit.ErrConflict):
				t.Errorf("expiring %s: %v", p.ID, err)
				return
			}
		}
	}
}

func TestStoreTwoSweepersExpireEachItemOnce(t *testing.T) {
	t.Parallel()
	forEachStore(t, ownStorage, func(t *testing.T, open storeOpener) { // reads the whole due index
		t0 := time.Now().UTC().Truncate(time.Second)
		creator := open(audit.WithClock(func() time.Time { return t0 }))
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
		if _, err := creator.Transition(ctx, running.ID, audit.StatePending, audit.StateExecuting, audit.Update{}); err != nil {
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
			sweeper := open(audit.WithClock(func() time.Time { return now }))
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
			if p, _ := creator.Get(ctx, id); p.State != audit.StateExpired || p.Version != 2 {
				t.Errorf("item %s: state %s version %d", id, p.State, p.Version)
			}
		}
		for id, want := range map[string]audit.State{notDue.ID: audit.StatePending, running.ID: audit.StateExecuting} {
			if p, _ := creator.Get(ctx, id); p.State != want {
				t.Errorf("item %s: state %s, want %s", id, p.State, want)
			}
		}
		if rest, err := creator.DueForExpiry(ctx, now, 100); err != nil || len(rest) != 0 {
			t.Errorf("DueForExpiry after sweeping: %d items, err %v", len(rest), err)
		}
	})
}

func TestStoreStuckExecutingIsFoundOnlyAfterTheTimeout(t *testing.T) {
	t.Parallel()
	forEachStore(t, ownStorage, func(t *testing.T, open storeOpener) {
		t0 := time.Now().UTC().Truncate(time.Second)
		store := open(audit.WithClock(func() time.Time { return t0 }), audit.WithExecutingTimeout(2*time.Minute))
		ctx := ctxT(t)

		stuck, _ := store.Create(ctx, samplePending(t0))
		finished, _ := store.Create(ctx, samplePending(t0))
		waiting, _ := store.Create(ctx, samplePending(t0))
		for _, id := range []string{stuck.ID, finished.ID} {
			if _, err := store.Transition(ctx, id, audit.StatePending, audit.StateExecuting, audit.Update{}); err != nil {
				t.Fatalf("PENDING→EXECUTING: %v", err)
			}
		}
		if _, err := store.Transition(ctx, finished.ID, audit.StateExecuting, audit.StateDone, audit.Update{Result: "ok"}); err != nil {
			t.Fatalf("EXECUTING→DONE: %v", err)
		}

		if early, err := store.StuckExecuting(ctx, t0.Add(time.Minute), 10); err != nil || len(early) != 0 {
			t.Fatalf("before the timeout: %d stuck (err %v), want none", len(early), err)
		}
		got, err := store.StuckExecuting(ctx, t0.Add(3*time.Minute), 10)
		if err != nil || len(got) != 1 || got[0].ID != stuck.ID {
			t.Fatalf("after the timeout: %+v (err %v), want only %s", got, err, stuck.ID)
		}
		if _, err := store.Transition(ctx, stuck.ID, audit.StateExecuting, audit.StateFailed, audit.Update{Result: "outcome unknown"}); err != nil {
			t.Fatalf("EXECUTING→FAILED: %v", err)
		}
		if again, _ := store.StuckExecuting(ctx, t0.Add(3*time.Minute), 10); len(again) != 0 {
			t.Errorf("a failed item is still reported stuck: %+v", again)
		}
		// A pending item never shows up as stuck, and a stuck one never as due for expiry.
		if due, _ := store.DueForExpiry(ctx, t0.Add(48*time.Hour), 10); len(due) != 1 || due[0].ID != waiting.ID {
			t.Errorf("DueForExpiry = %+v, want only the waiting item", due)
		}
	})
}

func TestStoreSessionsExpireOnTheStoreClock(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		clock := newFakeClock(time.Now().UTC())
		store := open(audit.WithClock(clock.Now))
		ctx := ctxT(t)
		id := audit.NewID()

		if err := store.PutSession(ctx, id, map[string]string{"filter": `email ^= "a"`, "cursor": "abc"}, 10*time.Minute); err != nil {
			t.Fatalf("PutSession: %v", err)
		}
		got, err := store.GetSession(ctx, id)
		if err != nil || got["filter"] != `email ^= "a"` || got["cursor"] != "abc" {
			t.Fatalf("GetSession: %v, %v", got, err)
		}

		// Paging on replaces the data and restarts the clock.
		clock.Advance(9 * time.Minute)
		if err := store.PutSession(ctx, id, map[string]string{"cursor": "def"}, 10*time.Minute); err != nil {
			t.Fatalf("PutSession again: %v", err)
		}
		clock.Advance(9 * time.Minute)
		got, err = store.GetSession(ctx, id)
		if err != nil || len(got) != 1 || got["cursor"] != "def" {
			t.Fatalf("GetSession after update: %v, %v", got, err)
		}

		// Expired, whether or not the storage has dropped it yet: reported as not found.
		clock.Advance(time.Minute)
		if _, err := store.GetSession(ctx, id); !errors.Is(err, audit.ErrNotFound) {
			t.Errorf("GetSession after expiry: got %v, want ErrNotFound", err)
		}
		if _, err := store.GetSession(ctx, audit.NewID()); !errors.Is(err, audit.ErrNotFound) {
			t.Errorf("GetSession of unknown id: got %v, want ErrNotFound", err)
		}
		empty := audit.NewID()
		if err := store.PutSession(ctx, empty, nil, time.Minute); err != nil {
			t.Fatalf("PutSession with no data: %v", err)
		}
		if got, err := store.GetSession(ctx, empty); err != nil || got == nil || len(got) != 0 {
			t.Errorf("GetSession of empty session: %v, %v", got, err)
		}
		for name, call := range map[string]func() error{
			"no id":    func() error { return store.PutSession(ctx, "", nil, time.Minute) },
			"zero ttl": func() error { return store.PutSession(ctx, audit.NewID(), nil, 0) },
		} {
			if err := call(); !errors.Is(err, audit.ErrInvalid) {
				t.Errorf("PutSession with %s: got %v, want ErrInvalid", name, err)
			}
		}
	})
}

func TestStoreCancelledContextIsUnavailable(t *testing.T) {
	t.Parallel()
	forEachStore(t, sharedStorage, func(t *testing.T, open storeOpener) {
		store := open()
		p, err := store.Create(ctxT(t), samplePending(time.Now()))
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		for name, call := range map[string]func() error{
			"Create": func() error { _, err := store.Create(ctx, samplePending(time.Now())); return err },
			"Transition": func() error {
				_, err := store.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{})
				return err
			},
			"SetCard":    func() error { return store.SetCard(ctx, p.ID, "C", "1") },
			"Due":        func() error { _, err := store.DueForExpiry(ctx, time.Now(), 5); return err },
			"PutSession": func() error { return store.PutSession(ctx, audit.NewID(), nil, time.Minute) },
		} {
			if err := call(); !errors.Is(err, audit.ErrUnavailable) || errors.Is(err, audit.ErrConflict) || errors.Is(err, audit.ErrNotFound) {
				t.Errorf("%s with a cancelled context: got %v, want ErrUnavailable", name, err)
			}
		}
		if got, _ := store.Get(ctxT(t), p.ID); got.State != audit.StatePending || got.Version != 1 {
			t.Errorf("a cancelled call changed the item: %+v", got)
		}
	})
}
