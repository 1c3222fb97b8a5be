package awsdir

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

// TestGuardTakesTheTokenOfTheOperationsCategory sends calls through the real
// SDK stack to a fake endpoint: the guard middleware takes each call's token
// from the category its operation belongs to, and a call cut off while
// waiting is never sent.
func TestGuardTakesTheTokenOfTheOperationsCategory(t *testing.T) {
	c := newFakeClock()
	d, f := newFakeDirectoryWith(t, map[string]fakeAnswer{
		"AdminGetUser":           {200, confirmedUserJSON("bob")},
		"AdminListGroupsForUser": {200, `{"Groups":[]}`},
		"AdminDisableUser":       {200, `{}`},
		"AdminEnableUser":        {200, `{}`},
	}, Options{Quotas: quota.Quotas{UserUpdate: 1, UserRead: 1000}}, c)
	ctx := testIntent()
	for range 3 {
		if _, err := d.GetUser(ctx, "us-east-1_a", "bob"); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.Slept(); len(got) != 0 {
		t.Fatalf("UserRead calls slept %v", got)
	}
	for range 2 {
		if _, err := d.DisableUser(ctx, "us-east-1_a", "bob"); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.Slept(); !equalDurations(got, []time.Duration{time.Second}) {
		t.Fatalf("UserUpdate calls slept %v, want [1s]", got)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := d.EnableUser(cctx, "us-east-1_a", "bob"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled call: got %v", err)
	}
	if n := f.count("AdminEnableUser"); n != 0 {
		t.Fatalf("a call cut off before its token was sent %d times", n)
	}
}

// TestEveryOperationTheBotCallsHasACategory: an operation the directory calls
// that the guard cannot place in a quota category would be refused in
// production, so every one the seam lists must be placed.
func TestEveryOperationTheBotCallsHasACategory(t *testing.T) {
	api := reflect.TypeFor[cognitoAPI]()
	for i := range api.NumMethod() {
		if !quota.HasCategory(api.Method(i).Name) {
			t.Errorf("%s has no quota category in cognito/quota/operations.go", api.Method(i).Name)
		}
	}
}

// TestOnLimiterWaitReportsWaits: Options.OnLimiterWait hears every wait with
// its category, and nothing for calls that passed at once.
func TestOnLimiterWaitReportsWaits(t *testing.T) {
	type wait struct {
		cat string
		d   time.Duration
	}
	var mu sync.Mutex
	var waits []wait
	c := newFakeClock()
	d, _ := newFakeDirectoryWith(t, map[string]fakeAnswer{"AdminDisableUser": {200, `{}`}}, Options{
		Quotas: quota.Quotas{UserUpdate: 2},
		OnLimiterWait: func(cat string, d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, wait{cat, d})
		},
	}, c)
	for range 3 {
		if _, err := d.DisableUser(testIntent(), "us-east-1_a", "bob"); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(waits) != 1 || waits[0] != (wait{"UserUpdate", 500 * time.Millisecond}) {
		t.Fatalf("waits = %v, want one UserUpdate wait of 500ms", waits)
	}
}

func equalDurations(a, b []time.Duration) bool {
	return slices.Equal(a, b)
}
