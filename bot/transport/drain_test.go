package transport

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cognito-bot/cognito-bot/audit"
)

// testQueue is the bot's real work queue with two workers.
func testQueue() *workQueue {
	return newWorkQueue(queueConfig{workers: 2, size: 8, rate: 100, burst: 100, now: time.Now})
}

// Run in a synctest bubble: its clock moves on at once when every goroutine
// waits, so the drain's 300 ms timeout and the quick action's 50 ms take no
// real time, and their order is the same however slow the machine.
func TestDrainFinishesWorkWithinTheTimeoutAndAbandonsTheRest(t *testing.T) {
	synctest.Test(t, drainFinishesWorkWithinTheTimeoutAndAbandonsTheRest)
}

func drainFinishesWorkWithinTheTimeoutAndAbandonsTheRest(t *testing.T) {
	core, logs := observer.New(zap.InfoLevel)
	b := New(Config{Logger: zap.New(core), ShutdownTimeout: 300 * time.Millisecond, WorkTimeout: time.Hour})
	q := testQueue()
	ctx, abandon := context.WithCancel(context.Background())
	workers := q.serve(func(j job) { b.work(ctx, j) })

	quick, stuck := make(chan struct{}), make(chan error, 1)
	offer := func(user string, run func(context.Context)) {
		req := &Request{Actor: audit.Actor{UserID: user, TeamID: "T1"}, EnvelopeID: user, Arrived: time.Now()}
		if res, _ := q.offer(job{req: req, run: run}); res != admitted {
			t.Fatalf("job %s not admitted", user)
		}
	}
	offer("U1", func(context.Context) { time.Sleep(50 * time.Millisecond); close(quick) })
	offer("U2", func(ctx context.Context) { <-ctx.Done(); stuck <- ctx.Err() })
	for b.inflight.Load() < 2 {
		time.Sleep(time.Millisecond)
	}

	start := time.Now()
	b.drain(q, workers, abandon)
	if took := time.Since(start); took < 300*time.Millisecond || took > 30*time.Second {
		t.Fatalf("drain took %s with a 300ms timeout", took)
	}
	select {
	case <-quick:
	default:
		t.Error("drain returned before the quick action finished")
	}
	select {
	case err := <-stuck:
		if err == nil {
			t.Error("the abandoned action ended without its context being cancelled")
		}
	case <-time.After(30 * time.Second):
		t.Error("the abandoned action's context was not cancelled")
	}
	lines := logs.FilterMessage("shutdown timeout reached; abandoning work").All()
	if len(lines) != 1 || lines[0].ContextMap()["abandoned"] != int64(1) {
		t.Errorf("want one log line with abandoned=1, got %v", lines)
	}
}

func TestDrainReturnsAtOnceWhenNothingIsInFlight(t *testing.T) {
	b := New(Config{ShutdownTimeout: time.Hour, WorkTimeout: time.Hour})
	q := testQueue()
	ctx, abandon := context.WithCancel(context.Background())
	workers := q.serve(func(j job) { b.work(ctx, j) })
	done := make(chan struct{})
	go func() { b.drain(q, workers, abandon); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("an idle drain waited for the timeout")
	}
}
