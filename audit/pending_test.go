package audit

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func samplePending(now time.Time) Pending {
	return Pending{
		Kind:      KindApproval,
		Action:    "delete",
		Target:    Target{Pool: "us-east-1_p", Username: "dave", Sub: "sub-d"},
		Params:    map[string]string{"temporary_password": "Secr3t!", "notify": "yes"},
		Reason:    "ticket 7",
		Requester: Actor{UserID: "UREQ", TeamID: "T1", Name: "erin"},
		Channel:   "C9",
		ExpiresAt: now.Add(15 * time.Minute),
		Snapshot:  map[string]string{"sub": "sub-d", "status": "CONFIRMED", "enabled": "true"},
	}
}

func TestCreateAndGet(t *testing.T) {
	client, tables := sharedTables(t)
	clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
	store := NewStore(client, tables.State, WithClock(clock.Now))
	ctx := ctxT(t)

	in := samplePending(clock.Now())
	in.State, in.Version, in.Result = StateDone, 9, "ignored" // Create resets these
	p, err := store.Create(ctx, in)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if !regexp.MustCompile(`^[A-Z2-7]{26}$`).MatchString(p.ID) {
		t.Errorf("ID %q is not 26 base32 characters", p.ID)
	}
	if p.State != StatePending || p.Version != 1 || p.Result != "" || !p.CreatedAt.Equal(clock.Now()) {
		t.Errorf("Create returned state %s version %d result %q created %v", p.State, p.Version, p.Result, p.CreatedAt)
	}
	if p.Params["temporary_password"] != redacted || p.Params["notify"] != "yes" {
		t.Errorf("Create stored params %v, want the password redacted", p.Params)
	}
	got, err := store.Get(ctx, p.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", p) {
		t.Errorf("Get differs from Create:\n got %+v\nwant %+v", got, p)
	}

	again := in
	again.ID = p.ID
	if _, err := store.Create(ctx, again); !errors.Is(err, ErrDuplicate) {
		t.Errorf("Create with a used id: got %v, want ErrDuplicate", err)
	}
	if _, err := store.Get(ctx, NewID()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of unknown id: got %v, want ErrNotFound", err)
	}
	for name, bad := range map[string]func(*Pending){
		"kind":      func(p *Pending) { p.Kind = "maybe" },
		"requester": func(p *Pending) { p.Requester.TeamID = "" },
		"deadline":  func(p *Pending) { p.ExpiresAt = clock.Now().Add(-time.Second) },
	} {
		p := samplePending(clock.Now())
		bad(&p)
		if _, err := store.Create(ctx, p); !errors.Is(err, ErrInvalid) {
			t.Errorf("Create with bad %s: got %v, want ErrInvalid", name, err)
		}
	}
}

func TestNewIDIsUniqueAndURLSafe(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		id := NewID()
		if len(id) != 26 || !regexp.MustCompile(`^[A-Z2-7]+$`).MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

// countingAPI counts the GetItem calls made through a real client.
type countingAPI struct {
	dynamoAPI
	gets atomic.Int32
}

func (c *countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.dynamoAPI.GetItem(ctx, in, opts...)
}

func TestTransitionRaceHasOneWinner(t *testing.T) {
	client, tables := sharedTables(t)
	api := &countingAPI{dynamoAPI: client}
	store := newStore(api, tables.State)
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
		won     = make([]Pending, racers)
	)
	for i := range racers {
		wg.Go(func() {
			<-start
			by := Actor{UserID: fmt.Sprintf("U%02d", i), TeamID: "T1", Name: "approver"}
			won[i], results[i] = store.Transition(ctx, p.ID, StatePending, StateExecuting, Update{DecidedBy: &by})
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
	if w.State != StateExecuting || w.Version != 2 || w.DecidedBy.UserID != fmt.Sprintf("U%02d", winner) || w.DecidedAt.IsZero() {
		t.Errorf("winner got %+v", w)
	}
	for i, err := range results {
		if i == winner {
			continue
		}
		var te *TransitionError
		if !errors.Is(err, ErrConflict) || !errors.As(err, &te) || errors.Is(err, ErrExpired) {
			t.Errorf("racer %d: got %v, want a TransitionError matching ErrConflict only", i, err)
			continue
		}
		if te.Current.State != StateExecuting || te.Current.DecidedBy != w.DecidedBy {
			t.Errorf("racer %d saw state %s decided by %+v, want EXECUTING by %+v", i, te.Current.State, te.Current.DecidedBy, w.DecidedBy)
		}
	}

	// The losers learned the winner from the failed condition itself (ALL_OLD), not from
	// a second read that could already see a later state.
	if n := api.gets.Load(); n != 0 {
		t.Errorf("losers made %d extra reads", n)
	}

	// The winner finishes; DecidedBy stays the approver.
	done, err := store.Transition(ctx, p.ID, StateExecuting, StateDone, Update{Result: "deleted"})
	if err != nil {
		t.Fatalf("EXECUTING→DONE: %v", err)
	}
	got, err := store.Get(ctx, p.ID)
	if err != nil || got.State != StateDone || got.Version != 3 || got.Result != "deleted" || got.DecidedBy != w.DecidedBy {
		t.Errorf("after DONE: Get %+v, err %v", got, err)
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", done) {
		t.Errorf("Transition returned %+v, Get %+v", done, got)
	}
	// A repeat of the finished move loses with the final state.
	_, err = store.Transition(ctx, p.ID, StateExecuting, StateFailed, Update{})
	var te *TransitionError
	if !errors.As(err, &te) || te.Current.State != StateDone {
		t.Errorf("EXECUTING→FAILED after DONE: got %v, want conflict with DONE", err)
	}
}
