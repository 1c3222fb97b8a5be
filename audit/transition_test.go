package audit

import (
	"errors"
	"testing"
	"time"
)

func TestExpiredPendingCannotExecute(t *testing.T) {
	client, tables := sharedTables(t)
	clock := newFakeClock(time.Now().UTC())
	store := NewStore(client, tables.State, WithClock(clock.Now))
	ctx := ctxT(t)
	p, err := store.Create(ctx, samplePending(clock.Now())) // deadline in 15 minutes
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if _, err := store.Transition(ctx, p.ID, StatePending, StateExpired, Update{}); !errors.Is(err, ErrConflict) || errors.Is(err, ErrExpired) {
		t.Errorf("PENDING→EXPIRED before the deadline: got %v, want ErrConflict (not due yet)", err)
	}

	clock.Advance(16 * time.Minute)
	approver := Actor{UserID: "UAPP", TeamID: "T1"}
	for _, to := range []State{StateExecuting, StateRejected} {
		_, err := store.Transition(ctx, p.ID, StatePending, to, Update{DecidedBy: &approver})
		var te *TransitionError
		if !errors.Is(err, ErrConflict) || !errors.Is(err, ErrExpired) || !errors.As(err, &te) || te.Current.State != StatePending {
			t.Errorf("PENDING→%s after the deadline: got %v, want ErrConflict+ErrExpired with state PENDING", to, err)
		}
	}
	if got, _ := store.Get(ctx, p.ID); got.State != StatePending || got.Version != 1 || got.DecidedBy != (Actor{}) {
		t.Errorf("a lost transition changed the item: %+v", got)
	}
	exp, err := store.Transition(ctx, p.ID, StatePending, StateExpired, Update{})
	if err != nil || exp.State != StateExpired || exp.Version != 2 {
		t.Fatalf("PENDING→EXPIRED after the deadline: %+v, %v", exp, err)
	}
	_, err = store.Transition(ctx, p.ID, StatePending, StateExecuting, Update{DecidedBy: &approver})
	if !errors.Is(err, ErrExpired) {
		t.Errorf("PENDING→EXECUTING on an EXPIRED item: got %v, want ErrExpired", err)
	}
}

func TestCancelAndRejectKeepRequesterReason(t *testing.T) {
	client, tables := sharedTables(t)
	clock := newFakeClock(time.Now().UTC())
	store := NewStore(client, tables.State, WithClock(clock.Now))
	ctx := ctxT(t)

	p, _ := store.Create(ctx, samplePending(clock.Now()))
	approver := Actor{UserID: "UAPP", TeamID: "T1", Name: "frank"}
	rej, err := store.Transition(ctx, p.ID, StatePending, StateRejected, Update{
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
	if c, err := store.Transition(ctx, q.ID, StatePending, StateCancelled, Update{DecidedBy: &requester}); err != nil || c.State != StateCancelled {
		t.Errorf("PENDING→CANCELLED after the deadline: %+v, %v", c, err)
	}
}

func TestInvalidTransitionsMakeNoCall(t *testing.T) {
	// A nil API would panic if called: these must be refused up front.
	store := newStore(nil, "unused")
	bad := [][2]State{
		{StateFailed, StatePending}, {StateDone, StateExecuting}, {StatePending, StateDone},
		{StatePending, StateFailed}, {StateExecuting, StatePending}, {StatePending, StatePending},
		{StateExpired, StateExecuting}, {StateCancelled, StatePending}, {StateRejected, StateExecuting},
		{StateExecuting, StateCancelled}, {"", StateExecuting}, {StatePending, "BOGUS"},
	}
	for _, m := range bad {
		if _, err := store.Transition(t.Context(), "id", m[0], m[1], Update{}); !errors.Is(err, ErrInvalidTransition) {
			t.Errorf("%s→%s: got %v, want ErrInvalidTransition", m[0], m[1], err)
		}
	}
	good := [][2]State{
		{StatePending, StateExecuting}, {StatePending, StateCancelled}, {StatePending, StateExpired},
		{StatePending, StateRejected}, {StateExecuting, StateDone}, {StateExecuting, StateFailed},
	}
	for _, m := range good {
		if !CanTransition(m[0], m[1]) {
			t.Errorf("CanTransition(%s, %s) = false", m[0], m[1])
		}
	}
}

func TestTransitionStateUnchangedOnInvalidMove(t *testing.T) {
	client, tables := sharedTables(t)
	store := NewStore(client, tables.State)
	ctx := ctxT(t)
	p, _ := store.Create(ctx, samplePending(time.Now()))
	if _, err := store.Transition(ctx, p.ID, StatePending, StateDone, Update{Result: "x"}); !errors.Is(err, ErrInvalidTransition) {
		t.Fatalf("PENDING→DONE: got %v", err)
	}
	if got, _ := store.Get(ctx, p.ID); got.State != StatePending || got.Version != 1 || got.Result != "" {
		t.Errorf("item changed: %+v", got)
	}
	if _, err := store.Transition(ctx, NewID(), StatePending, StateExecuting, Update{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Transition of unknown id: got %v, want ErrNotFound", err)
	}
	// A wrong "from" loses like a race, reporting the real state.
	var te *TransitionError
	if _, err := store.Transition(ctx, p.ID, StateExecuting, StateDone, Update{}); !errors.As(err, &te) || te.Current.State != StatePending {
		t.Errorf("EXECUTING→DONE on a PENDING item: got %v", err)
	}
}

func TestSetCard(t *testing.T) {
	client, tables := sharedTables(t)
	store := NewStore(client, tables.State)
	ctx := ctxT(t)
	p, _ := store.Create(ctx, samplePending(time.Now()))
	if err := store.SetCard(ctx, p.ID, "CAPPROVALS", "1700000000.000200"); err != nil {
		t.Fatalf("SetCard: %v", err)
	}
	got, err := store.Get(ctx, p.ID)
	if err != nil || got.CardChannel != "CAPPROVALS" || got.CardTS != "1700000000.000200" || got.Version != 2 || got.State != StatePending {
		t.Errorf("after SetCard: %+v, %v", got, err)
	}
	if err := store.SetCard(ctx, NewID(), "C", "1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetCard of unknown id: got %v, want ErrNotFound", err)
	}
}
