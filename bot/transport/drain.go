package transport

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"
)

// drain runs when Run returns, after the socket has closed: it takes no new work,
// lets the workers finish what is queued and running, but waits no longer than the
// shutdown timeout, so a stopping pod ends within its grace period. Work still
// queued or running then is cancelled (abandon) and counted in the log; the sweeper
// of a remaining replica closes what was left executing.
func (s *Server) drain(q *workQueue, workers *sync.WaitGroup, abandon context.CancelFunc) {
	s.obs.Connected(false)
	q.close()
	done := make(chan struct{})
	go func() { workers.Wait(); close(done) }()
	if n := s.inflight.Load() + int64(q.depth()); n > 0 {
		s.log.Info("draining", zap.Int64("in_flight", s.inflight.Load()), zap.Int("queued", q.depth()), zap.Duration("timeout", s.drainFor))
	}
	timer := time.NewTimer(s.drainFor)
	defer timer.Stop()
	select {
	case <-done:
		abandon()
		return
	case <-timer.C:
	}
	s.log.Warn("shutdown timeout reached; abandoning work",
		zap.Int64("abandoned", s.inflight.Load()), zap.Int("queued", q.depth()), zap.Duration("timeout", s.drainFor))
	abandon()
}
