package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/audit/chain"
)

// Anchorer takes an anchor (Log.Anchor) once per period across every replica and
// hands it to Post, which puts the copy off the table (the bot posts it to Slack).
// Every replica runs one; a conditional write in the state table (ClaimOnce) picks
// which replica anchors each period.
type Anchorer struct {
	// Log records the anchor; *Log and *MemoryLog serve.
	Log interface {
		Anchor(ctx context.Context, id string) (chain.Anchor, error)
	}
	// Claims decides which replica anchors a period; *state.Store and *state.MemoryStore serve.
	Claims interface {
		ClaimOnce(ctx context.Context, name string, ttl time.Duration) (bool, error)
	}
	// Every is the period (audit.anchor_every).
	Every time.Duration
	// Post publishes an anchor outside the table; nil publishes nothing.
	Post func(ctx context.Context, a chain.Anchor) error
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Tick anchors the current period unless a replica already claimed it, and reports
// whether this one did. A replica that wins the claim and then fails leaves that
// period without an anchor; the next period has one.
func (a *Anchorer) Tick(ctx context.Context) (chain.Anchor, bool, error) {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	if a.Every <= 0 {
		return chain.Anchor{}, false, fmt.Errorf("anchoring: %w: no period", ErrInvalid)
	}
	period := now().UTC().Truncate(a.Every)
	id := auditid.ForAnchor(period)
	won, err := a.Claims.ClaimOnce(ctx, id, a.Every+time.Hour)
	if err != nil || !won {
		return chain.Anchor{}, false, err
	}
	anchor, err := a.Log.Anchor(ctx, id)
	if errors.Is(err, ErrDuplicate) {
		return chain.Anchor{}, false, nil
	}
	if err != nil {
		return chain.Anchor{}, false, err
	}
	if a.Post != nil {
		if err := a.Post(ctx, anchor); err != nil {
			return anchor, true, fmt.Errorf("posting anchor %s: %w", id, err)
		}
	}
	return anchor, true, nil
}

// Run ticks until ctx ends, checking often enough (a twelfth of the period, at
// most a minute) that each period gets its anchor soon after it starts. Failures
// go to onErr (nil: dropped); the next tick tries again.
func (a *Anchorer) Run(ctx context.Context, onErr func(error)) {
	check := min(a.Every/12, time.Minute)
	if check <= 0 {
		check = time.Minute
	}
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		if _, _, err := a.Tick(ctx); err != nil && onErr != nil && ctx.Err() == nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
