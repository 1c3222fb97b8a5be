package bot

import (
	"context"
	"sync"
	"time"

	"github.com/slack-go/slack/socketmode"
	"go.uber.org/zap"
)

// drain waits for in-flight work after the socket has closed, but no longer than the
// shutdown timeout, so a stopping pod finishes what it acked within its grace period.
// Work still running then is cancelled and counted; the sweeper of another replica
// later records its outcome as unknown.
func (b *Bot) drain(work *sync.WaitGroup, stopWork context.CancelFunc) {
	b.observer().Connected(false)
	done := make(chan struct{})
	go func() { work.Wait(); close(done) }()
	if n := b.inflight.Load(); n > 0 {
		b.log.Info("draining in-flight work", zap.Int64("in_flight", n), zap.Duration("timeout", b.drainFor))
	}
	timer := time.NewTimer(b.drainFor)
	defer timer.Stop()
	select {
	case <-done:
		return
	case <-timer.C:
	}
	b.log.Warn("shutdown timeout reached; abandoning in-flight work",
		zap.Int64("abandoned", b.inflight.Load()), zap.Duration("timeout", b.drainFor))
	stopWork()
}

// observe reports one event to the Observer: the connection state it implies and,
// for an envelope, its type and how long dispatch took to ack it.
func (b *Bot) observe(evt socketmode.Event, start time.Time) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		b.observer().Connected(true)
	case socketmode.EventTypeConnecting, socketmode.EventTypeConnectionError,
		socketmode.EventTypeDisconnect, socketmode.EventTypeInvalidAuth:
		b.observer().Connected(false)
	}
	if evt.Request != nil && evt.Request.EnvelopeID != "" {
		b.observer().Envelope(string(evt.Type))
		b.observer().Acked(string(evt.Type), time.Since(start))
	}
}
