package bulk

import (
	"context"
	"testing"
	"time"
)

// A runner whose Loop has ended (the bot is stopping) starts no job: a sweep
// or a click that raced the shutdown would otherwise run it after the bot's
// Run returned, touching the stores and Cognito past its end. The job waits
// for a running replica instead.
func TestStartAfterTheLoopEndedRunsNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 5, 0)
	job := w.startJob("disable", 5)
	r := w.runner("A", w.dir, nil, nil, 1000)
	ctx, stop := context.WithCancel(context.Background())
	stop()
	ended := make(chan struct{})
	go func() { r.Loop(ctx); close(ended) }()
	select {
	case <-ended:
	case <-time.After(20 * time.Second):
		t.Fatal("the loop did not end with its context")
	}

	r.Start(context.Background(), job.ID)
	r.Wait()
	if n := len(w.auditCounts(job)); n != 0 {
		t.Fatalf("a stopped runner ran %d targets", n)
	}
	if j, err := w.store.GetJob(context.Background(), job.ID); err != nil || j.Owner == "A" {
		t.Fatalf("a stopped runner took the job's lease (%q, %v)", j.Owner, err)
	}
}
