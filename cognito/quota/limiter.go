package quota

import (
	"context"
	"math"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// limiter is one quota category's client-side limit in one Region: a
// *rate.Limiter refilling at the category's rate, with a burst of one second's
// worth of requests (at least 1), so a quiet bot may send a short burst but never
// more than the quota over any second.
//
// Wait reserves the token up front (rate.Limiter.ReserveN), so waiters are
// served in arrival order and a burst of callers is spread evenly; a waiter whose
// context ends before its turn cancels the reservation and takes nothing. Time
// comes from the injectable clock rather than rate.Limiter.Wait's own timer, so
// tests assert exact waits without sleeping.
type limiter struct {
	lim    *rate.Limiter
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	onWait func(waited time.Duration) // nil: nobody observes waits
	// rps is the deployment's rate for the category; budget, when set, says
	// which part of it this replica has now, followed at every Wait.
	rps     float64
	budget  Budget
	applied atomic.Uint64 // math.Float64bits of the part the limiter runs at
}

// Budget is this replica's part of the deployment's Cognito budget: the
// configured quotas are the whole deployment's, and each live replica takes
// Fraction() of them (split among the replicas with work waiting;
// internal/budget keeps it from the replicas' leases in DynamoDB). It is
// consulted on every wait, so a replica that dies frees its part for the
// others within their lease time.
type Budget interface {
	Fraction() float64
}

// DemandBudget is a Budget told when a caller had to wait for its part, so it
// can ask the other replicas for more (internal/budget.Share publishes it in
// its lease row and the parts follow demand).
type DemandBudget interface {
	Budget
	Want()
}

// Wanted tells b, when it listens (DemandBudget), that a caller had to wait.
func Wanted(b Budget) {
	if d, ok := b.(DemandBudget); ok {
		d.Want()
	}
}

// sharedBy makes l follow b's part of its rate; nil keeps the whole rate.
func (l *limiter) sharedBy(b Budget) *limiter {
	l.budget = b
	l.applied.Store(math.Float64bits(1))
	return l
}

// follow sets the limit to the budget's current part of rps when it changed.
func (l *limiter) follow(now time.Time) {
	if l.budget == nil {
		return
	}
	f := l.budget.Fraction()
	if f <= 0 || f > 1 {
		f = 1
	}
	if old := l.applied.Swap(math.Float64bits(f)); old == math.Float64bits(f) {
		return
	}
	r := l.rps * f
	l.lim.SetLimitAt(now, rate.Limit(r))
	l.lim.SetBurstAt(now, int(math.Max(1, math.Floor(r))))
}

// newLimiter returns a full bucket for rps requests per second using clock c
// (nil means the real clock).
func newLimiter(rps float64, c *Clock) *limiter {
	if c == nil {
		c = RealClock()
	}
	burst := int(math.Max(1, math.Floor(rps)))
	return &limiter{lim: rate.NewLimiter(rate.Limit(rps), burst), now: c.Now, sleep: c.Sleep, rps: rps}
}

// Wait blocks until a token is available or ctx ends, in which case it returns
// ctx's error and takes no token. A call that had to wait reports how long to
// onWait, also when ctx ended during the wait.
func (l *limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	start := l.now()
	l.follow(start)
	r := l.lim.ReserveN(start, 1) // burst >= 1, so always OK
	delay := r.DelayFrom(start)
	if delay <= 0 {
		return nil
	}
	if l.budget != nil {
		Wanted(l.budget)
	}
	err := l.sleep(ctx, delay)
	if err != nil {
		r.CancelAt(l.now())
	}
	if l.onWait != nil {
		l.onWait(l.now().Sub(start))
	}
	return err
}

// Clock is the time source of the limiters (and of the cognito package's
// caches), injectable so tests assert exact waits without sleeping.
type Clock struct {
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
func RealClock() *Clock {
	return &Clock{Now: time.Now, Sleep: sleepCtx}
}

// sleepCtx sleeps for d or until ctx ends, whichever comes first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
