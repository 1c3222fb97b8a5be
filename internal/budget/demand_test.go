package budget

import (
	"context"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/state"
)

// settle starts two replicas on open's store and brings them to half each.
func settle(t *testing.T, c *clock, open func() Leases) (a, b *Share) {
	t.Helper()
	a = New(open(), "replica-a", 10*time.Second, nil, WithClock(c.Now))
	b = New(open(), "replica-b", 10*time.Second, nil, WithClock(c.Now))
	for _, s := range []*Share{a, b, a} {
		mustRenew(t, s)
	}
	c.advance(a.heartbeat())
	mustRenew(t, b)
	if a.Fraction() != 0.5 || b.Fraction() != 0.5 {
		t.Fatalf("settled at %v and %v; want half each", a.Fraction(), b.Fraction())
	}
	return a, b
}

func mustRenew(t *testing.T, s *Share) {
	t.Helper()
	if err := s.Renew(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// The parts follow demand: a replica with work waiting takes what an idle one
// leaves above its floor, and back when the other has work too; at every step
// of every change the two parts together stay within the budget, because a
// replica raises its part only a heartbeat after the other has lowered its own.
func TestSharesFollowDemandAndNeverSumAboveTheBudget(t *testing.T) {
	forEachStore(t, func(t *testing.T, c *clock, open func() Leases) {
		a, b := settle(t, c, open)
		step := func(what string, s *Share, wantA, wantB float64) {
			t.Helper()
			if s != nil {
				mustRenew(t, s)
			}
			ga, gb := a.Fraction(), b.Fraction()
			if ga+gb > 1+1e-9 {
				t.Fatalf("%s: parts %v + %v exceed the budget", what, ga, gb)
			}
			if !near(ga, wantA) || !near(gb, wantB) {
				t.Fatalf("%s: parts %v and %v; want %v and %v", what, ga, gb, wantA, wantB)
			}
		}
		busy := 1 - IdleFloor

		a.Want() // two bulk jobs wait on a; b is idle
		step("a publishes demand", a, 0.5, 0.5)
		step("b sees it and lowers at once", b, 0.5, IdleFloor)
		c.advance(a.heartbeat())
		a.Want()
		step("a raises a heartbeat after", a, busy, IdleFloor)

		b.Want() // a lookup burst waits on b
		step("b publishes demand", b, busy, IdleFloor)
		a.Want()
		step("a sees it and lowers at once", a, 0.5, IdleFloor)
		c.advance(b.heartbeat())
		b.Want()
		step("b raises a heartbeat after", b, 0.5, 0.5)

		// a's jobs end: it stops waiting and lowers itself; b, still busy,
		// takes the rest once a has had a heartbeat to lower.
		step("a idle", a, IdleFloor, 0.5)
		b.Want()
		step("b waits a heartbeat", b, IdleFloor, 0.5)
		if next, due := b.NextChange(), c.Now().Add(b.heartbeat()); !next.Equal(due) {
			t.Fatalf("b's next change at %v; want its raise a heartbeat on, %v", next, due)
		}
		c.advance(b.heartbeat())
		b.Recompute()
		step("b raises at the deferred instant", nil, IdleFloor, busy)
	})
}

// A survivor takes a dead replica's part at the instant the dead lease runs
// out, not at its next heartbeat: NextChange names that instant, and a
// recomputation then (no store call) takes the whole budget.
func TestTheSurvivorTakesTheWholeBudgetAtTheDeadLeaseExpiry(t *testing.T) {
	forEachStore(t, func(t *testing.T, c *clock, open func() Leases) {
		a, b := settle(t, c, open)
		expiry := c.Now().Add(-a.heartbeat()).Add(a.lease) // a last renewed a heartbeat ago, then died
		for c.Now().Add(b.heartbeat()).Before(expiry) {    // b renews every heartbeat; a's lease still runs
			c.advance(b.heartbeat())
			mustRenew(t, b)
		}
		if got := b.NextChange(); !got.Equal(expiry) {
			t.Fatalf("b's next change at %v; want a's lease expiry %v", got, expiry)
		}
		c.advance(expiry.Sub(c.Now()) - time.Nanosecond)
		b.Recompute()
		if got := b.Fraction(); got != 0.5 {
			t.Fatalf("just before a's lease runs out b has %v; want 0.5", got)
		}
		c.advance(time.Nanosecond)
		b.Recompute()
		if got := b.Fraction(); got != 1 {
			t.Fatalf("at a's lease expiry b has %v; want the whole budget", got)
		}
	})
}

// A replica whose store is out of reach does not take the dead-looking
// leases' parts: they may only look dead because it cannot read them.
func TestNoRecomputationOnStaleLeases(t *testing.T) {
	forEachStore(t, func(t *testing.T, c *clock, open func() Leases) {
		_, b := settle(t, c, open)
		c.advance(b.lease + time.Second) // no renewal since: the leases seen are stale
		b.Recompute()
		if got := b.Fraction(); got != 0.5 {
			t.Fatalf("b took %v on stale leases; want its last part 0.5", got)
		}
	})
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// Demand that the lease row does not say yet is published at once, not a
// heartbeat later (here the heartbeat is 20 minutes away), and only once.
func TestNewDemandIsPublishedAtOnce(t *testing.T) {
	counted := &renewals{Leases: state.NewMemoryStore()}
	s := New(counted, "replica-a", time.Hour, nil)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { stop(); <-done }()
	waitFor(t, "the first renewal", func() bool { return counted.count() == 1 })
	s.Want()
	waitFor(t, "a renewal publishing the demand", func() bool { return counted.count() == 2 && s.published.Load() })
	s.Want() // the row says so already: no renewal until the heartbeat
	s.Want()
	if len(s.kick) != 0 || counted.count() != 2 {
		t.Fatal("demand already published asked for another renewal")
	}
}
