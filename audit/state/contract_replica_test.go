package state

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// Replicas count each other through their leases: a replica that stops
// renewing drops out once its lease runs out, one that stops cleanly at once.
func TestStoreReplicaLeasesCountTheLiveReplicas(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, ownStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		clock := newFakeClock(time.Now())
		a, b := open(audit.WithClock(clock.Now)), open(audit.WithClock(clock.Now))
		const lease = 10 * time.Second
		renew := func(s *storeCore, owner string, want int) {
			t.Helper()
			live, err := s.RenewReplica(ctx, owner, lease, owner == "B")
			n := len(live)
			if err != nil || n != want {
				t.Fatalf("%s renews: %d live, %v; want %d", owner, n, err, want)
			}
		}
		renew(a, "A", 1)
		renew(b, "B", 2)
		live, err := a.RenewReplica(ctx, "A", lease, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range live { // each lease says until when it runs and whether its replica has work waiting
			if want := clock.Now().Add(lease); l.Owner == "A" && (!l.Until.Equal(want) || l.Demand) {
				t.Errorf("A's lease reads %+v; want until %v, no demand", l, want)
			}
			if l.Owner == "B" && (!l.Until.Equal(clock.Now().Add(lease)) || !l.Demand) {
				t.Errorf("B's lease reads %+v; want until %v with demand", l, clock.Now().Add(lease))
			}
		}
		renew(a, "A", 2)
		clock.Advance(6 * time.Second)
		renew(b, "B", 2) // A's lease still runs for 4 s
		clock.Advance(5 * time.Second)
		renew(b, "B", 1) // A stopped renewing 11 s ago: its share is free
		renew(a, "A", 2) // and back
		if err := a.DropReplica(ctx, "A"); err != nil {
			t.Fatal(err)
		}
		renew(b, "B", 1)
		if _, err := a.RenewReplica(ctx, "", lease, false); err == nil {
			t.Error("a lease without an owner was accepted")
		}
	})
}
