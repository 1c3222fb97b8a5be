package state

import (
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// A hold is one holder's at a time across replicas: another holder is
// refused while it runs, the holder renews it, a release frees it at once,
// and a holder that stops renewing loses it when its time runs out.
func TestStoreHoldIsOneHoldersUntilReleasedOrRunOut(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		clock := newFakeClock(time.Now())
		a, b := open(audit.WithClock(clock.Now)), open(audit.WithClock(clock.Now))
		name := uid("export/T1/U")
		hold := func(s *storeCore, holder string, want bool) {
			t.Helper()
			got, err := s.Hold(ctx, name, holder, 10*time.Minute)
			if err != nil || got != want {
				t.Fatalf("%s holds: %v, %v; want %v", holder, got, err, want)
			}
		}
		hold(a, "job1", true)
		hold(b, "job2", false)
		hold(a, "job1", true) // renewing: now 10 minutes from here
		if err := b.Unhold(ctx, name, "job2"); err != nil {
			t.Fatal(err)
		}
		hold(b, "job2", false) // someone else's release frees nothing
		if err := a.Unhold(ctx, name, "job1"); err != nil {
			t.Fatal(err)
		}
		hold(b, "job2", true)
		hold(a, "job1", false)
		clock.Advance(9 * time.Minute)
		hold(a, "job1", false) // job2's time still runs
		clock.Advance(2 * time.Minute)
		hold(a, "job3", true) // job2 stopped renewing: it ran out
		hold(b, "job2", false)
		if err := b.Unhold(ctx, name, "job2"); err != nil {
			t.Fatal(err)
		}
		hold(b, "job2", false) // job2's late release leaves job3's hold alone
		if _, err := a.Hold(ctx, "", "job", time.Minute); err == nil {
			t.Error("a hold without a name was accepted")
		}
		if err := a.Unhold(ctx, uid("never-held"), "job"); err != nil {
			t.Errorf("releasing a hold nobody has: %v", err)
		}
	})
}

// Of several replicas holding the same free name at once, exactly one wins.
func TestStoreHoldRaceHasOneWinner(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		name := uid("export/T1/race")
		const n = 6
		var wg sync.WaitGroup
		won := make(chan string, n)
		for i := range n {
			s := open()
			wg.Add(1)
			go func() {
				defer wg.Done()
				holder := string(rune('a' + i))
				if ok, err := s.Hold(ctx, name, holder, time.Minute); err != nil {
					t.Error(err)
				} else if ok {
					won <- holder
				}
			}()
		}
		wg.Wait()
		close(won)
		if len(won) != 1 {
			t.Fatalf("%d holders won the same hold; want exactly one", len(won))
		}
	})
}
