package bulk

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
)

// heartbeat renews a job's lease until stopped, and notes a cancel request or a
// lost lease for the runner to act on between targets.
type heartbeat struct {
	cancelled, lost atomic.Bool
	done            chan struct{}
	once            sync.Once
	wg              sync.WaitGroup
}

func (r *Runner) heartbeat(ctx context.Context, job audit.Job) *heartbeat {
	h := &heartbeat{done: make(chan struct{})}
	h.wg.Go(func() {
		t := time.NewTicker(r.c.Heartbeat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-h.done:
				return
			case <-t.C:
			}
			j, err := r.c.Store.AcquireJob(ctx, job.ID, r.c.Owner, r.c.Lease)
			switch {
			case errors.Is(err, audit.ErrConflict):
				h.lost.Store(true)
				return
			case err != nil:
				r.c.Logger.Warn("renewing a job lease", zap.String("job", job.ID), zap.Error(err))
			case j.Cancelled():
				h.cancelled.Store(true)
			}
		}
	})
	return h
}

func (h *heartbeat) stop() {
	h.once.Do(func() { close(h.done) })
	h.wg.Wait()
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ApprovalID is the pending approval a job was started under, "" when its
// requester started it alone: each target's audit entry carries it. Only an
// approver other than the requester starts a job that way.
func ApprovalID(j audit.Job) string {
	if j.StartedBy.UserID == "" || j.StartedBy.UserID == j.Requester.UserID {
		return ""
	}
	return JobApprovalID(j.ID)
}

// JobApprovalID is the pending approval of job id: one per job, so a second
// Confirm click finds the first request.
func JobApprovalID(jobID string) string { return "ja" + jobID }
