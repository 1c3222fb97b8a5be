package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
)

// heldSweep is a state store whose expiry listing, once started, does not
// return until the test lets it, whatever its context says: a store call still
// on the wire when the bot is told to stop.
type heldSweep struct {
	bot.StateStore
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (s *heldSweep) DueForExpiry(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error) {
	s.once.Do(func() { close(s.started) })
	<-s.release
	return s.StateStore.DueForExpiry(ctx, now, limit)
}

// A stopped bot has nothing left running: Run returns only after the sweeper's
// store call in flight has ended, so no part of a stopped bot goes on writing
// to the audit log, Slack or the logger (in the tests, a goroutine outliving
// its test is also how a data race escapes every test).
func TestStopWaitsForTheSweepInFlight(t *testing.T) {
	t.Parallel()
	held := &heldSweep{started: make(chan struct{}), release: make(chan struct{})}
	h := bottest.New(t, &bottest.Options{SweepEvery: quickSweeps, WrapState: func(s bot.StateStore) bot.StateStore {
		held.StateStore = s
		return held
	}})
	ctx, cancel := h.Timeout()
	defer cancel()
	select {
	case <-held.started:
	case <-ctx.Done():
		t.Fatal("the sweeper never ran")
	}

	stopped := make(chan struct{})
	go func() { h.Stop(); close(stopped) }()
	select {
	case <-stopped:
		close(held.release)
		t.Fatal("the bot stopped while its sweep was still waiting on the store")
	case <-time.After(200 * time.Millisecond):
	}
	close(held.release)
	select {
	case <-stopped:
	case <-ctx.Done():
		t.Fatal("the bot did not stop once its sweep returned")
	}
}
