package bot

import (
	"context"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func TestDrainWaitsForWorkButNoLongerThanTheShutdownTimeout(t *testing.T) {
	core, logs := observer.New(zap.InfoLevel)
	b := &Bot{log: zap.New(core), obs: nopObserver{}, drainFor: 200 * time.Millisecond}
	workCtx, stopWork := context.WithCancel(context.Background())
	var work sync.WaitGroup

	// One action finishes within the timeout, one never does on its own.
	quick, stuck := make(chan struct{}), make(chan struct{})
	for _, w := range []struct {
		after time.Duration
		done  chan struct{}
	}{{50 * time.Millisecond, quick}, {time.Hour, stuck}} {
		work.Add(1)
		b.inflight.Add(1)
		go func() {
			defer work.Done()
			defer b.inflight.Add(-1)
			defer close(w.done)
			select {
			case <-time.After(w.after):
			case <-workCtx.Done():
			}
		}()
	}

	start := time.Now()
	b.drain(&work, stopWork)
	took := time.Since(start)
	if took < 200*time.Millisecond || took > 2*time.Second {
		t.Fatalf("drain took %s with a 200ms timeout", took)
	}
	select {
	case <-quick:
	default:
		t.Error("drain returned before the quick action finished")
	}
	select {
	case <-stuck:
	case <-time.After(2 * time.Second):
		t.Error("the abandoned action's context was not cancelled")
	}
	abandoned := logs.FilterMessage("shutdown timeout reached; abandoning in-flight work").All()
	if len(abandoned) != 1 || abandoned[0].ContextMap()["abandoned"] != int64(1) {
		t.Errorf("want one log line with abandoned=1, got %v", abandoned)
	}
}

func TestDrainReturnsAtOnceWhenNothingIsInFlight(t *testing.T) {
	b := &Bot{log: zap.NewNop(), obs: nopObserver{}, drainFor: time.Hour}
	var work sync.WaitGroup
	done := make(chan struct{})
	go func() { b.drain(&work, func() {}); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("an idle drain waited for the timeout")
	}
}
