package memdir

import (
	"context"
	"sync"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// testClock is a manual clock, so tests of invitation age and the reset limit
// assert exact times, never elapsed wall time.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testIntent is a context under an open audit intent: Memory, like the SDK
// directory, refuses every call without one.
func testIntent() context.Context {
	ctx, _ := cognito.OpenIntent(context.Background(), "test#memdir")
	return ctx
}

// contractSpec is the pool the contract suite (cognito/contract_test.go)
// mostly uses: a mutable and an immutable custom attribute, two groups,
// Cognito's default password policy.
func contractSpec() PoolSpec {
	return PoolSpec{
		Name: "contract",
		Attributes: []AttributeSpec{
			{Name: "custom:team"},
			{Name: "custom:employee_id", Immutable: true},
		},
		Groups: []GroupSpec{{Name: "support", Description: "desk", Precedence: 2}, {Name: "admins", Precedence: 1}},
	}
}
