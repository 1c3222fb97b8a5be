package bot

import (
	"context"
	"time"

	"go.uber.org/zap"
)

// sweepLoop closes expired requests on a timer. Every replica runs it; the
// conditional transition makes each expiry happen once.
func (b *Bot) sweepLoop(ctx context.Context) {
	t := time.NewTicker(b.sweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.Sweep(ctx)
		}
	}
}

// Sweep expires every pending action past its deadline, in batches.
func (b *Bot) Sweep(ctx context.Context) {
	due, err := b.state.DueForExpiry(ctx, b.now(), 25)
	if err != nil {
		b.log.Warn("listing expired requests", zap.Error(err))
		return
	}
	for _, p := range due {
		b.expire(ctx, p)
	}
}
