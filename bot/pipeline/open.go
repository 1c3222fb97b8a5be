package pipeline

import (
	"context"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// OpenIntents lists up to limit intents due before dueBefore and never
// finished: their bot stopped between the intent and the outcome (a crash
// during an enable, a lost Finish). The sweeper settles some by reading their
// effect back (CloseSettled) and closes the rest "outcome unknown"
// (CloseAbandoned).
func (p *Pipeline) OpenIntents(ctx context.Context, dueBefore time.Time, limit int) ([]audit.Entry, error) {
	return p.log.OpenIntents(ctx, dueBefore, limit)
}
