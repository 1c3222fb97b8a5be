package state

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
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
	Demand     bool      `dynamodbav:"demand,omitempty"`
}

func replicaKey(owner string) string { return "REPLICA#" + table.KeyPart(owner) }

// RenewReplica writes or renews owner's replica lease until lease from now,
// saying whether owner has work waiting (demand), and returns the replicas
// that hold a live lease, owner included, in no particular order. The list
// reads an index, which DynamoDB keeps eventually consistent: a replica that
// just started or died shows within a heartbeat or so.
func (s *storeCore) RenewReplica(ctx context.Context, owner string, lease time.Duration, demand bool) ([]audit.ReplicaLease, error) {
	if owner == "" || lease <= 0 {
		return nil, fmt.Errorf("renewing a replica lease: %w: needs an owner and a lease", audit.ErrInvalid)
	}
	now := s.opts.Clock()
	until := now.Add(lease)
	it, err := attributevalue.MarshalMap(replicaItem{PK: replicaKey(owner), Owner: owner, LeaseUntil: table.FormatTime(until),
		DuePK: replicaPartition, DueAt: table.SortKey(until, owner), TTL: until.Add(time.Hour), Demand: demand})
	if err != nil {
		return nil, err
	}
	if err := s.t.Put(ctx, it); err != nil {
		return nil, fmt.Errorf("renewing the replica lease of %q: %w", owner, table.Unavailable(err))
	}
	live, err := s.liveReplicas(ctx, now)
	if err != nil {
		return nil, err
	}
	// Our own write may not show in the index yet: take it as written.
	live[owner] = audit.ReplicaLease{Owner: owner, Until: until, Demand: demand}
	out := make([]audit.ReplicaLease, 0, len(live))
	for _, l := range live {
		out = append(out, l)
	}
	return out, nil
}

// liveReplicas lists the leases that run past now, by owner.
func (s *storeCore) liveReplicas(ctx context.Context, now time.Time) (map[string]audit.ReplicaLease, error) {
	live := map[string]audit.ReplicaLease{}
	q := table.IndexQuery{Index: table.IndexByDue, PKAttr: table.AttrDuePK, SKAttr: table.AttrDueAt, Partition: replicaPartition,
		Above: table.SortKey(now, ""), Limit: 100}
	for {
		items, next, err := s.t.Query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("counting live replicas: %w", table.Unavailable(err))
		}
		for _, it := range items {
			var r replicaItem
			if err := attributevalue.UnmarshalMap(it, &r); err != nil {
				return nil, err
			}
			live[r.Owner] = audit.ReplicaLease{Owner: r.Owner, Until: table.ParseTime(r.LeaseUntil), Demand: r.Demand}
		}
		if next == nil {
			return live, nil
		}
		q.Start = next
	}
}

// DropReplica ends owner's lease at once (a clean shutdown), so the others
// take its part of the budget at their next heartbeat instead of after the
// lease.
func (s *storeCore) DropReplica(ctx context.Context, owner string) error {
	if owner == "" {
		return fmt.Errorf("dropping a replica lease: %w: needs an owner", audit.ErrInvalid)
	}
	ended := s.opts.Clock().Add(-time.Second)
	it, err := attributevalue.MarshalMap(replicaItem{PK: replicaKey(owner), Owner: owner, LeaseUntil: table.FormatTime(ended),
		DuePK: replicaPartition, DueAt: table.SortKey(ended, owner), TTL: ended.Add(time.Hour)})
	if err != nil {
		return err
	}
	if err := s.t.Put(ctx, it); err != nil {
		return fmt.Errorf("dropping the replica lease of %q: %w", owner, table.Unavailable(err))
	}
	return nil
}
