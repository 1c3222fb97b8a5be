package state

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

func onceKey(key string) string { return "ONCE#" + table.KeyPart(key) }

// onceItem marks something done once across every replica (a reminder sent).
type onceItem struct {
	PK  string    `dynamodbav:"pk"`
	At  string    `dynamodbav:"at"`
	TTL time.Time `dynamodbav:"ttl,unixtime"`
}

// Once reports whether this caller is the first to claim key: a conditional
// put, so of several replicas about to send the same reminder exactly one
// gets true. The mark is kept for ttl (then DynamoDB's TTL sweep removes it).
func (s *storeCore) Once(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if key == "" || ttl <= 0 {
		return false, fmt.Errorf("claiming once: %w: needs a key and a positive ttl", audit.ErrInvalid)
	}
	now := s.opts.Clock()
	it, err := table.Marshal(onceItem{PK: onceKey(key), At: table.FormatTime(now), TTL: now.Add(ttl).Truncate(time.Second)})
	if err != nil {
		return false, fmt.Errorf("claiming once: %w: %v", audit.ErrInvalid, err)
	}
	err = s.t.Create(ctx, it)
	switch {
	case table.ConditionFailed(err) != nil:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("claiming %q once: %w", key, table.Unavailable(err))
	}
	return true, nil
}

// WaitingPending returns up to limit pending actions still waiting for a
// decision, earliest deadline first, for reminders.
func (s *storeCore) WaitingPending(ctx context.Context, limit int) ([]audit.Pending, error) {
	items, _, err := s.t.Query(ctx, table.IndexQuery{Index: table.IndexByDue, PKAttr: table.AttrDuePK, SKAttr: table.AttrDueAt,
		Partition: table.DuePartition, Limit: table.PageSize(limit)})
	if err != nil {
		return nil, fmt.Errorf("listing waiting requests: %w", table.Unavailable(err))
	}
	out := make([]audit.Pending, 0, len(items))
	for _, it := range items {
		p, err := unmarshalPending(it)
		if errors.Is(err, audit.ErrUnreadable) {
			continue // never acted on; its TTL removes it
		}
		if err != nil {
			return nil, err
		}
		if p.State == audit.StatePending {
			out = append(out, p)
		}
	}
	return out, nil
}

// MarkEscalated records that pending action id waited past its rule's
// escalate_after, while it is still PENDING; marking it again changes nothing.
func (s *storeCore) MarkEscalated(ctx context.Context, id string) error {
	var c table.Change
	c.Require("state", table.OpEqual, string(audit.StatePending))
	c.Set("escalated", "true")
	_, err := s.t.Update(ctx, table.PendingKey(id), c)
	if table.ConditionFailed(err) != nil {
		return fmt.Errorf("escalating %q: %w", id, audit.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("escalating %q: %w", id, table.Unavailable(err))
	}
	return nil
}

// ClaimOnce writes a claim named name in the state table unless one exists, and
// reports whether this caller made it: of several replicas claiming the same name,
// exactly one wins (a conditional write). The claim expires after ttl.
func (s *storeCore) ClaimOnce(ctx context.Context, name string, ttl time.Duration) (bool, error) {
	if name == "" || ttl <= 0 {
		return false, fmt.Errorf("claiming: %w: needs a name and a positive ttl", audit.ErrInvalid)
	}
	now := s.opts.Clock()
	it := table.Item{
		table.AttrPK:  &types.AttributeValueMemberS{Value: "CLAIM#" + table.KeyPart(name)},
		"claimed_at":  &types.AttributeValueMemberS{Value: table.FormatTime(now)},
		table.AttrTTL: &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Add(ttl).Add(time.Second).Unix(), 10)},
	}
	err := s.t.Create(ctx, it)
	switch {
	case table.ConditionFailed(err) != nil:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("claiming %q: %w", name, table.Unavailable(err))
	}
	return true, nil
}
