package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
)

// Replica leases: every live replica of the bot holds one row in the state
// table, renewed by a heartbeat, so each can count the live ones and take its
// part of the deployment's Cognito budget. A replica that dies stops renewing
// and drops out of the count when its lease runs out.

// replicaPartition is the by_due partition of replica leases, keyed by expiry.
const replicaPartition = "REPLICALEASE"

// replicaItem is one replica's lease row.
type replicaItem struct {
	PK         string    `dynamodbav:"pk"`
	Owner      string    `dynamodbav:"owner"`
	LeaseUntil string    `dynamodbav:"lease_until"`
	DuePK      string    `dynamodbav:"due_pk"`
	DueAt      string    `dynamodbav:"due_at"`
	TTL        time.Time `dynamodbav:"ttl,unixtime"`
}

func replicaKey(owner string) string { return "REPLICA#" + keyPart(owner) }

// RenewReplica writes or renews owner's replica lease until lease from now and
// returns how many replicas hold a live lease, owner included (at least 1).
// The count reads an index, which DynamoDB keeps eventually consistent: a
// replica that just started or died shows within a heartbeat or so.
func (s *storeCore) RenewReplica(ctx context.Context, owner string, lease time.Duration) (int, error) {
	if owner == "" || lease <= 0 {
		return 0, fmt.Errorf("renewing a replica lease: %w: needs an owner and a lease", ErrInvalid)
	}
	now := s.opts.clock()
	until := now.Add(lease)
	it, err := attributevalue.MarshalMap(replicaItem{PK: replicaKey(owner), Owner: owner, LeaseUntil: formatTime(until),
		DuePK: replicaPartition, DueAt: sortKey(until, owner), TTL: until.Add(time.Hour)})
	if err != nil {
		return 0, err
	}
	if err := s.t.put(ctx, it); err != nil {
		return 0, fmt.Errorf("renewing the replica lease of %q: %w", owner, unavailable(err))
	}
	live, err := s.liveReplicas(ctx, now)
	if err != nil {
		return 0, err
	}
	if !live[owner] {
		live[owner] = true // our own write may not show in the index yet
	}
	return len(live), nil
}

// liveReplicas lists the owners whose lease runs past now.
func (s *storeCore) liveReplicas(ctx context.Context, now time.Time) (map[string]bool, error) {
	live := map[string]bool{}
	q := indexQuery{index: indexByDue, pkAttr: attrDuePK, skAttr: attrDueAt, partition: replicaPartition,
		above: sortKey(now, ""), limit: 100}
	for {
		items, next, err := s.t.query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("counting live replicas: %w", unavailable(err))
		}
		for _, it := range items {
			var r replicaItem
			if err := attributevalue.UnmarshalMap(it, &r); err != nil {
				return nil, err
			}
			live[r.Owner] = true
		}
		if next == nil {
			return live, nil
		}
		q.start = next
	}
}

// DropReplica ends owner's lease at once (a clean shutdown), so the others
// take its part of the budget at their next heartbeat instead of after the
// lease.
func (s *storeCore) DropReplica(ctx context.Context, owner string) error {
	if owner == "" {
		return fmt.Errorf("dropping a replica lease: %w: needs an owner", ErrInvalid)
	}
	ended := s.opts.clock().Add(-time.Second)
	it, err := attributevalue.MarshalMap(replicaItem{PK: replicaKey(owner), Owner: owner, LeaseUntil: formatTime(ended),
		DuePK: replicaPartition, DueAt: sortKey(ended, owner), TTL: ended.Add(time.Hour)})
	if err != nil {
		return err
	}
	if err := s.t.put(ctx, it); err != nil {
		return fmt.Errorf("dropping the replica lease of %q: %w", owner, unavailable(err))
	}
	return nil
}
