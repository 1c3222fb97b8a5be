package quota

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterBurstThenSpacing(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(10, c.clock())
	ctx := context.Background()
	for i := range 10 { // the burst: no sleeping
		if err := l.Wait(ctx); err != nil {
			t.Fatalf("Wait %d: %v", i, err)
		}
	}
	if got := c.Slept(); len(got) != 0 {
		t.Fatalf("burst slept %v, want no sleep", got)
	}
	for range 3 { // then one token per 100 ms
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}
	if got := c.Slept(); !equalDurations(got, want) {
		t.Fatalf("slept %v, want %v", got, want)
	}
}

func TestLimiterRefillsUpToBurst(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(2, c.clock())
	ctx := context.Background()
	_ = l.Wait(ctx)
	_ = l.Wait(ctx)
	c.Advance(time.Hour) // refills to the burst of 2, not 7200
	for range 2 {
		_ = l.Wait(ctx)
	}
	if got := c.Slept(); len(got) != 0 {
		t.Fatalf("slept %v within refilled burst", got)
	}
	_ = l.Wait(ctx)
	if got := c.Slept(); !equalDurations(got, []time.Duration{500 * time.Millisecond}) {
		t.Fatalf("slept %v, want [500ms]", got)
	}
}

func TestLimiterFractionalRateHasBurstOne(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(0.5, c.clock())
	_ = l.Wait(context.Background())
	_ = l.Wait(context.Background())
	if got := c.Slept(); !equalDurations(got, []time.Duration{2 * time.Second}) {
		t.Fatalf("slept %v, want [2s]", got)
	}
}

func TestLimiterCancelledWaitReturnsToken(t *testing.T) {
	c := newFakeClock()
	l := newLimiter(1, c.clock())
	_ = l.Wait(context.Background()) // bucket now empty
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with cancelled ctx: got %v, want context.Canceled", err)
	}
	// The cancelled waiter took nothing: the next one waits one interval, not two.
	_ = l.Wait(context.Background())
	if got := c.Slept(); !equalDurations(got, []time.Duration{time.Second}) {
		t.Fatalf("slept %v, want [1s]", got)
	}
}

// TestLimiterRealClockCancel blocks on a real (very slow) bucket and cancels;
// it asserts only the outcome, not how long anything took.
func TestLimiterRealClockCancel(t *testing.T) {
	l := newLimiter(0.001, nil) // one token per 1000 s
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Wait(ctx) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// TestLimiterRealClockConcurrent checks counts under concurrency with short
// real waits: all callers get through, none is lost or duplicated. The
// 1,025 waits are the bucket's 1,000 and 25 that wait for a token (25 ms at
// 1,000/s).
func TestLimiterRealClockConcurrent(t *testing.T) {
	l := newLimiter(1000, nil)
	var n atomic.Int32
	var wg sync.WaitGroup
	for range 25 {
		wg.Go(func() {
			for range 41 {
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	if got := n.Load(); got != 1025 {
		t.Fatalf("%d waits passed, want 1025", got)
	}
}

func TestDefaultQuotas(t *testing.T) {
	got := Quotas{UserList: 3}.WithDefaults()
	want := DefaultQuotas()
	want.UserList = 3
	if got != want {
		t.Fatalf("WithDefaults = %+v, want %+v", got, want)
	}
	for c := range numCategories {
		if got.rate(c) <= 0 {
			t.Errorf("rate(%s) = %v", c, got.rate(c))
		}
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A waiter whose context ends during its wait hands its reservation back: the
// next caller waits one interval, not two.
func TestLimiterWaitCancelledMidwayReturnsReservation(t *testing.T) {
	c := newFakeClock()
	clk := c.clock()
	failing := &Clock{Now: clk.Now, Sleep: func(context.Context, time.Duration) error { return context.Canceled }}
	l := newLimiter(1, failing)
	_ = l.Wait(context.Background()) // bucket now empty
	if err := l.Wait(context.Background()); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	l.sleep = clk.Sleep
	_ = l.Wait(context.Background())
	if got := c.Slept(); !equalDurations(got, []time.Duration{time.Second}) {
		t.Fatalf("slept %v, want [1s]", got)
	}
}

// fixedBudget is a replica's part of the deployment's budget, set by the test.
type fixedBudget struct{ f atomic.Value }

func (b *fixedBudget) Fraction() float64 { return b.f.Load().(float64) }

// The configured rate is the deployment's: with two live replicas each runs at
// half of it, and when the other dies this one takes the whole rate again.
func TestLimiterFollowsItsReplicasPartOfTheBudget(t *testing.T) {
	c := newFakeClock()
	b := &fixedBudget{}
	b.f.Store(0.5)
	l := newLimiter(10, c.clock()).sharedBy(b)
	ctx := context.Background()
	for range 5 + 2 { // a burst of 5 (half of 10), then 200 ms apart
		_ = l.Wait(ctx)
	}
	if got := c.Slept(); !equalDurations(got, []time.Duration{200 * time.Millisecond, 200 * time.Millisecond}) {
		t.Fatalf("at half the budget slept %v, want [200ms 200ms]", got)
	}
	b.f.Store(1.0)
	c.Advance(time.Hour)
	for range 5 + 2 { // the 5 tokens saved up, then 100 ms apart
		_ = l.Wait(ctx)
	}
	if got := c.Slept(); !equalDurations(got[2:], []time.Duration{100 * time.Millisecond, 100 * time.Millisecond}) {
		t.Fatalf("with the whole budget slept %v after the saved tokens, want [100ms 100ms]", got[2:])
	}
}

// demandBudget is a fixedBudget that counts the waits it is told of.
type demandBudget struct {
	fixedBudget
	wants atomic.Int64
}

func (b *demandBudget) Want() { b.wants.Add(1) }

// A caller that has to wait for its replica's part tells the budget, which
// publishes the demand so the idle replicas lend their parts; calls served
// from the burst do not.
func TestLimiterTellsTheBudgetWhenACallerWaits(t *testing.T) {
	c := newFakeClock()
	b := &demandBudget{}
	b.f.Store(0.5)
	l := newLimiter(10, c.clock()).sharedBy(b)
	for range 5 {
		_ = l.Wait(context.Background())
	}
	if n := b.wants.Load(); n != 0 {
		t.Fatalf("calls within the burst asked for more budget %d times", n)
	}
	_ = l.Wait(context.Background())
	if n := b.wants.Load(); n != 1 {
		t.Fatalf("a call that waited asked for more budget %d times; want 1", n)
	}
}
