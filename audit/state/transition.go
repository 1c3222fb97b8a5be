package state

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
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
func (s *storeCore) Transition(ctx context.Context, id string, from, to audit.State, upd audit.Update) (audit.Pending, error) {
	if !audit.CanTransition(from, to) {
		return audit.Pending{}, fmt.Errorf("moving pending action %q from %s to %s: %w", id, from, to, audit.ErrInvalidTransition)
	}
	if id == "" {
		return audit.Pending{}, fmt.Errorf("moving pending action: %w", audit.ErrNotFound)
	}
	now := s.opts.Clock()
	var c table.Change
	c.Require("state", table.OpEqual, string(from))
	c.Set("state", string(to))
	c.Bump("version")
	if upd.DecidedBy != nil {
		c.Set("decided_by_user_id", upd.DecidedBy.UserID)
		c.Set("decided_by_team_id", upd.DecidedBy.TeamID)
		c.Set("decided_by_name", audit.Truncate(upd.DecidedBy.Name, audit.MaxParamValue))
		if upd.DecidedAt.IsZero() {
			upd.DecidedAt = now
		}
	}
	c.SetIf("decided_at", table.FormatTime(upd.DecidedAt))
	c.SetIf("result", audit.Truncate(upd.Result, audit.MaxText))
	c.SetIf("card_channel", upd.CardChannel)
	c.SetIf("card_ts", upd.CardTS)
	c.SetIf("decision_reason", audit.Truncate(upd.Reason, audit.MaxText))
	switch {
	case to == audit.StateExecuting:
		// An executing item moves to the index's EXECUTING partition, due when it
		// would count as stuck, so a sweeper can close it if its bot died.
		c.Set(table.AttrDuePK, table.StuckPartition)
		c.Set(table.AttrDueAt, table.SortKey(now.Add(s.opts.ExecutingTimeout), id))
	case from == audit.StatePending || from == audit.StateExecuting:
		// Leaving PENDING or EXECUTING drops the item from the sparse by_due index.
		c.Remove(table.AttrDuePK)
		c.Remove(table.AttrDueAt)
	}
	if from == audit.StatePending {
		switch to {
		case audit.StateExecuting, audit.StateRejected:
			c.Require("expires_at", table.OpGreater, table.FormatTime(now))
		case audit.StateExpired:
			c.Require("expires_at", table.OpAtMost, table.FormatTime(now))
		}
	}
	written, err := s.t.Update(ctx, table.PendingKey(id), c)
	if ccf := table.ConditionFailed(err); ccf != nil {
		return audit.Pending{}, s.lostTransition(ctx, id, from, to, now, ccf.Item)
	}
	if err != nil {
		return audit.Pending{}, fmt.Errorf("moving pending action %q from %s to %s: %w", id, from, to, table.Unavailable(err))
	}
	p, err := unmarshalPending(written)
	if err != nil {
		return audit.Pending{}, fmt.Errorf("moving pending action %q: %w", id, err)
	}
	return p, nil
}

// lostTransition builds the error for a failed transition condition from the item
// DynamoDB returned with the failure (ALL_OLD). When it returned none, the item does not
// exist, or the endpoint ignores ALL_OLD; a consistent read settles which.
func (s *storeCore) lostTransition(ctx context.Context, id string, from, to audit.State, now time.Time, old map[string]types.AttributeValue) error {
	var cur audit.Pending
	var err error
	if len(old) > 0 {
		cur, err = unmarshalPending(old)
	} else {
		cur, err = s.Get(ctx, id)
	}
	switch {
	case errors.Is(err, audit.ErrNotFound):
		return fmt.Errorf("moving pending action %q: %w", id, audit.ErrNotFound)
	case err != nil:
		return fmt.Errorf("moving pending action %q: %w", id, err)
	}
	return &audit.TransitionError{From: from, To: to, Current: cur, At: now}
}
