package testenv

import (
	"context"
	"sync"
	"time"
)

// ManualClock is a clock tests move by hand: Sleep advances it at once and
// records the duration asked for, so limiter, retry and cache tests assert
// exact values, never elapsed wall time.
type ManualClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

// NewManualClock starts at a fixed instant, so tests' times read the same in
// every run.
func NewManualClock() *ManualClock {
	return &ManualClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// NewManualClockAt starts at t: tests of stores whose items get TTLs from
// the clock start at the real time, since DynamoDB Local's TTL sweeper really
// deletes items whose TTL has passed.
func NewManualClockAt(t time.Time) *ManualClock { return &ManualClock{t: t} }

// Now is the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Sleep advances the clock by d at once (unless ctx has ended) and records d.
func (c *ManualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return nil
}

// Advance moves the clock on by d without recording a sleep.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Slept is every duration Sleep was asked for, in order.
func (c *ManualClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}
