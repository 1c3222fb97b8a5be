// Package budget shares one Cognito budget among the bot's replicas: the
// configured quotas (quotas.*, quotas.share) are the whole deployment's, and
// each live replica takes an equal part of them. Replicas find each other
// through lease rows with a heartbeat in the state table (DynamoDB is the
// coordination engine; there is no other server): a replica that dies stops
// renewing, and the others take its part once its lease has run out.
package budget

import (
	"context"
	"math"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// Leases is the state store's half of it (audit.Store and audit.MemoryStore).
type Leases interface {
	// RenewReplica renews owner's lease and returns how many replicas hold a
	// live one, owner included.
	RenewReplica(ctx context.Context, owner string, lease time.Duration) (int, error)
	// DropReplica ends owner's lease at once, on a clean stop.
	DropReplica(ctx context.Context, owner string) error
}

// DefaultLease is how long a replica's lease lasts without a heartbeat: the
// longest a dead replica's part stays unused.
const DefaultLease = 10 * time.Second

// Share is this replica's part of the deployment's budget: 1 / live replicas.
// It implements cognito.Budget; the Cognito limiters and the bulk job limits
// read it on every wait. It starts at the whole budget, which holds until the
// first renewal (Start does one before the bot serves anything).
type Share struct {
	leases Leases
	owner  string
	lease  time.Duration
	log    *zap.Logger
	part   atomic.Uint64 // math.Float64bits
	live   atomic.Int64
}

// New returns owner's share, renewed every lease/3 by Run.
func New(leases Leases, owner string, lease time.Duration, log *zap.Logger) *Share {
	if lease <= 0 {
		lease = DefaultLease
	}
	if log == nil {
		log = zap.NewNop()
	}
	s := &Share{leases: leases, owner: owner, lease: lease, log: log}
	s.part.Store(math.Float64bits(1))
	s.live.Store(1)
	return s
}

// Fraction is this replica's part of every quota, in (0, 1].
func (s *Share) Fraction() float64 { return math.Float64frombits(s.part.Load()) }

// Live is how many replicas shared the budget at the last renewal.
func (s *Share) Live() int { return int(s.live.Load()) }

// Renew renews this replica's lease and takes its part: the budget divided by
// the live replicas. When the store cannot be reached the last part is kept.
func (s *Share) Renew(ctx context.Context) error {
	n, err := s.leases.RenewReplica(ctx, s.owner, s.lease)
	if err != nil {
		return err
	}
	n = max(n, 1)
	if old := s.live.Swap(int64(n)); old != int64(n) {
		s.log.Info("Cognito budget shared anew", zap.Int("replicas", n), zap.Float64("part", 1/float64(n)))
	}
	s.part.Store(math.Float64bits(1 / float64(n)))
	return nil
}

// Run renews the lease every lease/3 until ctx ends, then drops it so the
// other replicas take this one's part at their next heartbeat.
func (s *Share) Run(ctx context.Context) {
	t := time.NewTicker(s.lease / 3)
	defer t.Stop()
	if err := s.Renew(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("taking the replica lease; using the whole budget until it can be", zap.Error(err))
	}
	for {
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			if err := s.leases.DropReplica(dctx, s.owner); err != nil {
				s.log.Warn("dropping the replica lease; the others take its budget when it runs out", zap.Error(err))
			}
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, s.lease/3)
		if err := s.Renew(rctx); err != nil && ctx.Err() == nil {
			s.log.Warn("renewing the replica lease; keeping the last budget part", zap.Error(err))
		}
		cancel()
	}
}
