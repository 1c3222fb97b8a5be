package state

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// SetCard records where the approval card for id was posted, so later transitions can
// update it. It bumps Version but leaves the state alone; an unknown id is ErrNotFound.
func (s *storeCore) SetCard(ctx context.Context, id, channel, ts string) error {
	if id == "" {
		return fmt.Errorf("setting approval card: %w", audit.ErrNotFound)
	}
	var c table.Change
	c.Set("card_channel", channel)
	c.Set("card_ts", ts)
	c.Bump("version")
	_, err := s.t.Update(ctx, table.PendingKey(id), c)
	if table.ConditionFailed(err) != nil {
		return fmt.Errorf("setting approval card of %q: %w", id, audit.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("setting approval card of %q: %w", id, table.Unavailable(err))
	}
	return nil
}

// DueForExpiry returns up to limit (default 20, at most 100) pending actions whose
// deadline is at or before now, oldest deadline first, read from the sparse by_due
// index. It only finds work; it changes nothing. A sweeper then calls
// Transition(id, PENDING, EXPIRED) for each, which is safe on every replica at once: one
// sweeper wins per item and the others get ErrConflict.
//
// The index is eventually consistent in AWS, so a result may already have left PENDING
// (its Transition then loses with ErrConflict) and a just-expired item may show up only
// on the next sweep.
func (s *storeCore) DueForExpiry(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error) {
	due, err := s.due(ctx, table.DuePartition, audit.StatePending, now, limit)
	if err != nil {
		return nil, fmt.Errorf("listing pending actions due for expiry: %w", err)
	}
	return due, nil
}

// StuckExecuting returns up to limit actions that have been EXECUTING for longer than
// the Store's executing timeout (WithExecutingTimeout) as of now: their bot most likely
// stopped between claiming and finishing them. A sweeper moves each to FAILED with
// Transition(id, EXECUTING, FAILED); the outcome in Cognito is unknown, so it must say
// so rather than retry.
func (s *storeCore) StuckExecuting(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error) {
	stuck, err := s.due(ctx, table.StuckPartition, audit.StateExecuting, now, limit)
	if err != nil {
		return nil, fmt.Errorf("listing stuck executing actions: %w", err)
	}
	return stuck, nil
}

// due reads one partition of the sparse by_due index up to now, oldest first, keeping
// the items still in state (the index may lag in AWS).
func (s *storeCore) due(ctx context.Context, partition string, state audit.State, now time.Time, limit int) ([]audit.Pending, error) {
	items, _, err := s.t.Query(ctx, table.IndexQuery{
		Index: table.IndexByDue, PKAttr: table.AttrDuePK, SKAttr: table.AttrDueAt, Partition: partition,
		// due_at is "<deadline>#<id>" with a fixed-width deadline, so it sorts below the
		// next nanosecond's timestamp exactly when deadline <= now, whatever the id.
		Below: table.FormatTime(now.Add(time.Nanosecond)),
		Limit: table.PageSize(limit),
	})
	if err != nil {
		return nil, table.Unavailable(err)
	}
	found := make([]audit.Pending, 0, len(items))
	for _, it := range items {
		p, err := unmarshalPending(it)
		if errors.Is(err, audit.ErrUnreadable) {
			continue // never acted on; its TTL removes it
		}
		if err != nil {
			return nil, err
		}
		if p.State == state {
			found = append(found, p)
		}
	}
	return found, nil
}
