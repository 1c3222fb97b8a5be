package state

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/chain"
)

// Replicas ticking at once anchor each period once: one claims it, records the
// anchor and posts it; the others do nothing. The next period gets its own.
// Its own table: a claim outlives the test, so in a shared table a second run
// in the same process (-count) would find this hour already claimed.
func TestAnchorerAnchorsEachPeriodOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	forEachStore(t, ownStorage, func(t *testing.T, openStore storeOpener) {
		log := audit.NewMemoryLog(0)
		prefix := uid("cmd#anch")
		for i := range 4 {
			e := audit.Entry{ID: fmt.Sprintf("%s-%d", prefix, i), Action: "disable",
				Actor: audit.Actor{UserID: "U1", TeamID: "T1"}, Target: audit.Target{Pool: "p", Username: "bob"}}
			if i%2 == 0 {
				e.Decision, e.Outcome = audit.Allowed, audit.OutcomeOK
				if err := log.Record(ctxT(t), e); err != nil {
					t.Fatalf("Record: %v", err)
				}
				continue
			}
			if err := log.Begin(ctxT(t), e); err != nil {
				t.Fatalf("Begin: %v", err)
			}
		}
		now := time.Now().UTC()
		var posted atomic.Int32
		replicas := make([]*audit.Anchorer, 3)
		for i := range replicas {
			replicas[i] = &audit.Anchorer{Log: log, Claims: openStore().(interface {
				ClaimOnce(ctx context.Context, name string, ttl time.Duration) (bool, error)
			}), Every: time.Hour, Now: func() time.Time { return now },
				Post: func(_ context.Context, a chain.Anchor) error {
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
		var breaks []chain.Break
		rep, err := log.Verify(ctxT(t), chain.VerifyOptions{OnBreak: func(b chain.Break) { breaks = append(breaks, b) }})
		if err != nil || !rep.Intact() || rep.Anchors != 2 {
			t.Errorf("verify after anchoring: %+v %v %v", rep, breaks, err)
		}
	})
}
