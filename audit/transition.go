package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Transition moves pending action id from state from to state to, writing upd and
// bumping Version, in one conditional update: the item must exist and be in state from,
// and when from is PENDING it must also still be before its deadline (for EXECUTING and
// REJECTED) or past it (for EXPIRED; CANCELLED is allowed either way). That makes it the
// single point where double clicks, Slack retries, several replicas and the expiry
// sweeper are serialized: exactly one caller wins and gets the updated Pending.
//
// The losers get a *TransitionError that matches ErrConflict (and ErrExpired when the
// deadline has passed); its Current field is the item as it was when the condition
// failed, e.g. already EXECUTING with the winner in DecidedBy. A move the state machine
// does not allow returns ErrInvalidTransition without calling DynamoDB; an unknown id
// returns ErrNotFound.
func (s *storeCore) Transition(ctx context.Context, id string, from, to State, upd Update) (Pending, error) {
	if !CanTransition(from, to) {
		return Pending{}, fmt.Errorf("moving pending action %q from %s to %s: %w", id, from, to, ErrInvalidTransition)
	}
	if id == "" {
		return Pending{}, fmt.Errorf("moving pending action: %w", ErrNotFound)
	}
	now := s.opts.clock()
	var c change
	c.require("state", opEqual, string(from))
	c.set("state", string(to))
	c.bump("version")
	if upd.DecidedBy != nil {
		c.set("decided_by_user_id", upd.DecidedBy.UserID)
		c.set("decided_by_team_id", upd.DecidedBy.TeamID)
		c.set("decided_by_name", truncate(upd.DecidedBy.Name, maxParamValue))
		if upd.DecidedAt.IsZero() {
			upd.DecidedAt = now
		}
	}
	c.setIf("decided_at", formatTime(upd.DecidedAt))
	c.setIf("result", truncate(upd.Result, maxText))
	c.setIf("card_channel", upd.CardChannel)
	c.setIf("card_ts", upd.CardTS)
	c.setIf("decision_reason", truncate(upd.Reason, maxText))
	switch {
	case to == StateExecuting:
		// An executing item moves to the index's EXECUTING partition, due when it
		// would count as stuck, so a sweeper can close it if its bot died.
		c.set(attrDuePK, stuckPartition)
		c.set(attrDueAt, sortKey(now.Add(s.opts.executingTimeout), id))
	case from == StatePending || from == StateExecuting:
		// Leaving PENDING or EXECUTING drops the item from the sparse by_due index.
		c.remove(attrDuePK)
		c.remove(attrDueAt)
	}
	if from == StatePending {
		switch to {
		case StateExecuting, StateRejected:
			c.require("expires_at", opGreater, formatTime(now))
		case StateExpired:
			c.require("expires_at", opAtMost, formatTime(now))
		}
	}
	written, err := s.t.update(ctx, pendingKey(id), c)
	if ccf := conditionFailed(err); ccf != nil {
		return Pending{}, s.lostTransition(ctx, id, from, to, now, ccf.Item)
	}
	if err != nil {
		return Pending{}, fmt.Errorf("moving pending action %q from %s to %s: %w", id, from, to, unavailable(err))
	}
	p, err := unmarshalPending(written)
	if err != nil {
		return Pending{}, fmt.Errorf("moving pending action %q: %w", id, err)
	}
	return p, nil
}

// lostTransition builds the error for a failed transition condition from the item
// DynamoDB returned with the failure (ALL_OLD). When it returned none, the item does not
// exist, or the endpoint ignores ALL_OLD; a consistent read settles which.
func (s *storeCore) lostTransition(ctx context.Context, id string, from, to State, now time.Time, old map[string]types.AttributeValue) error {
	var cur Pending
	var err error
	if len(old) > 0 {
		cur, err = unmarshalPending(old)
	} else {
		cur, err = s.Get(ctx, id)
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return fmt.Errorf("moving pending action %q: %w", id, ErrNotFound)
	case err != nil:
		return fmt.Errorf("moving pending action %q: %w", id, err)
	}
	return &TransitionError{From: from, To: to, Current: cur, At: now}
}
