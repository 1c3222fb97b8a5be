package audit

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Replicas ticking at once anchor each period once: one claims it, records the
// anchor and posts it; the others do nothing. The next period gets its own.
// Its own table: a claim outlives the test, so in a shared table a second run
// in the same process (-count) would find this hour already claimed.
func TestAnchorerAnchorsEachPeriodOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	forEachStore(t, ownStorage, func(t *testing.T, openStore storeOpener) {
		log := NewMemoryLog(0)
		writeSome(t, log, uid("cmd#anch"), 4)
		now := time.Now().UTC()
		var posted atomic.Int32
		replicas := make([]*Anchorer, 3)
		for i := range replicas {
			replicas[i] = &Anchorer{Log: log, Claims: openStore().(interface {
				ClaimOnce(ctx context.Context, name string, ttl time.Duration) (bool, error)
			}), Every: time.Hour, Now: func() time.Time { return now },
				Post: func(_ context.Context, a Anchor) error {
					if len(a.Digest) != 64 {
						t.Errorf("posted anchor %+v", a)
					}
					posted.Add(1)
					return nil
				}}
		}
		var wg sync.WaitGroup
		var won atomic.Int32
		for _, r := range replicas {
			wg.Go(func() {
				_, ok, err := r.Tick(ctxT(t))
				if err != nil {
					t.Errorf("Tick: %v", err)
				}
				if ok {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 || posted.Load() != 1 {
			t.Fatalf("%d replicas anchored, %d posted; want 1 and 1", won.Load(), posted.Load())
		}
		if _, ok, _ := replicas[1].Tick(ctxT(t)); ok {
			t.Error("the same period was anchored twice")
		}
		now = now.Add(time.Hour)
		if _, ok, err := replicas[2].Tick(ctxT(t)); !ok || err != nil {
			t.Errorf("next period: anchored %v, %v", ok, err)
		}
		if rep, breaks := verifyAll(t, log, VerifyOptions{}); !rep.Intact() || rep.Anchors != 2 {
			t.Errorf("verify after anchoring: %+v %v", rep, breaks)
		}
	})
}
