package cognito

import (
	"context"
	"math"
	"sync"
	"time"
)

// limiter is a small token bucket: it refills at rate tokens per second up to
// burst tokens (burst = rate, at least 1) and Wait takes one token, sleeping
// until it is due. It is home-written to avoid a dependency for ~60 lines.
//
// A waiter reserves its token up front (the balance may go negative), so waiters
// are served in arrival order and a burst of callers is spread evenly; a waiter
// whose context ends before its turn returns the reservation.
type limiter struct {
	rate  float64 // tokens per second, > 0
	burst float64 // bucket size, >= 1

	// now and sleep are the clock; tests replace them with a fake one.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	tokens float64 // may be negative: outstanding reservations
	last   time.Time
}

// newLimiter returns a full bucket for rate requests per second using clock c
// (nil means the real clock).
func newLimiter(rate float64, c *clock) *limiter {
	if c == nil {
		c = realClock()
	}
	burst := math.Max(1, math.Floor(rate))
	return &limiter{rate: rate, burst: burst, now: c.now, sleep: c.sleep, tokens: burst, last: c.now()}
}

// Wait blocks until a token is available or ctx ends, in which case it returns
// ctx's error and takes no token.
func (l *limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := l.now()
	if elapsed := now.Sub(l.last); elapsed > 0 {
		l.tokens = math.Min(l.burst, l.tokens+elapsed.Seconds()*l.rate)
		l.last = now
	}
	l.tokens--
	var delay time.Duration
	if l.tokens < 0 {
		delay = time.Duration(math.Ceil(-l.tokens / l.rate * float64(time.Second)))
	}
	l.mu.Unlock()

	if delay == 0 {
		return nil
	}
	if err := l.sleep(ctx, delay); err != nil {
		l.mu.Lock()
		l.tokens = math.Min(l.burst, l.tokens+1)
		l.mu.Unlock()
		return err
	}
	return nil
}

// clock is the time source of limiters and caches, injectable for tests.
type clock struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

func realClock() *clock {
	return &clock{now: time.Now, sleep: sleepCtx}
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
