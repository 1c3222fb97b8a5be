package state

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// A requester's bulk volume counts jobs within a window together, and two
// jobs counted at once from the same reading cannot both win: the loser
// reads again. Both backends behave the same.
func TestStoreBulkVolumeCountsTogetherAndOneOfTwoRacingAddsWins(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(opts ...audit.Option) *storeCore) {
		window := time.Hour
		now := time.Now().UTC().Truncate(window).Add(window / 2)
		s := open(audit.WithClock(func() time.Time { return now }))
		ctx := context.Background()
		who := audit.Actor{UserID: "UVOL" + audit.NewID()[:6], TeamID: "T1"}
		v, err := s.BulkVolume(ctx, who, now, window)
		if err != nil || v.Total() != 0 {
			t.Fatalf("fresh volume = %+v, %v; want 0", v, err)
		}
		if err := s.AddBulkVolume(ctx, who, v, window, 3); err != nil {
			t.Fatal(err)
		}
		if err := s.AddBulkVolume(ctx, who, v, window, 2); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("adding from a stale reading = %v; want ErrConflict", err)
		}
		v, _ = s.BulkVolume(ctx, who, now.Add(10*time.Minute), window)
		if v.Current != 3 {
			t.Fatalf("after one job of 3: %+v", v)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for range 2 {
			wg.Go(func() { errs <- s.AddBulkVolume(ctx, who, v, window, 2) })
		}
		wg.Wait()
		close(errs)
		won := 0
		for err := range errs {
			if err == nil {
				won++
			} else if !errors.Is(err, audit.ErrConflict) {
				t.Fatal(err)
			}
		}
		if won != 1 {
			t.Fatalf("%d of two racing adds won; want 1", won)
		}
		// In the next window's bucket the last one still counts, as Previous.
		next, err := s.BulkVolume(ctx, who, now.Add(window), window)
		if err != nil || next.Current != 0 || next.Previous != 5 || next.Total() != 5 {
			t.Fatalf("next window = %+v, %v; want previous 5", next, err)
		}
		if later, _ := s.BulkVolume(ctx, who, now.Add(2*window), window); later.Total() != 0 {
			t.Fatalf("two windows later = %+v; want 0", later)
		}
		other, _ := s.BulkVolume(ctx, audit.Actor{UserID: who.UserID, TeamID: "T2"}, now, window)
		if other.Total() != 0 {
			t.Fatalf("another team's user with the same id shares the count: %+v", other)
		}
	})
}

// A Grid requester's workspace is kept with what they asked for, so the
// policy can still admit them by it when their request executes.
func TestStoreKeepsTheRequestersWorkspace(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(opts ...audit.Option) *storeCore) {
		s := open()
		ctx := context.Background()
		now := time.Now()
		grid := audit.Actor{UserID: "W1GRID", TeamID: "E1ORG", Name: "gina", Workspace: "T1WS"}
		p := samplePending(now)
		p.ID, p.Requester = "ws"+audit.NewID(), grid
		if _, err := s.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Get(ctx, p.ID); err != nil || got.Requester != grid {
			t.Errorf("pending requester = %+v, %v; want %+v", got.Requester, err, grid)
		}
		j := sampleJob(now)
		j.Requester = grid
		created, err := s.CreateJob(ctx, j, sampleTargets(1))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.GetJob(ctx, created.ID); err != nil || got.Requester != grid {
			t.Errorf("job requester = %+v, %v; want %+v", got.Requester, err, grid)
		}
	})
}
