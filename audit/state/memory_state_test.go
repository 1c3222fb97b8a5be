package state

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

func TestMemoryStoreDropsItemsPastTheirTTL(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	store := NewMemoryStore(audit.WithClock(clock.Now), audit.WithPendingRetention(time.Hour))
	ctx := t.Context()
	p, err := store.Create(ctx, samplePending(clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutSession(ctx, "s", map[string]string{"k": "v"}, time.Minute); err != nil {
		t.Fatal(err)
	}

	// Within retention everything stays, even a session past its expiry (still stored,
	// but reported as not found, exactly as DynamoDB's lazy TTL sweep leaves it).
	clock.Advance(30 * time.Minute)
	if _, err := store.Get(ctx, p.ID); err != nil {
		t.Errorf("pending action within retention: %v", err)
	}

	// Past retention the next write drops them, so a long-running sandbox stays small.
	clock.Advance(2 * time.Hour)
	if _, err := store.Create(ctx, samplePending(clock.Now())); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get(ctx, p.ID); err == nil {
		t.Error("pending action past its retention is still stored")
	}
	if n := len(store.t.(*table.Memory).All()); n != 1 {
		t.Errorf("store holds %d items after the sweep, want 1", n)
	}
}
