// Package budget shares one Cognito budget among the bot's replicas: the
// configured quotas (quotas.*, quotas.share) are the whole deployment's, and
// the live replicas split them by demand. Replicas find each other through
// lease rows with a heartbeat in the state table (DynamoDB is the
// coordination engine; there is no other server); each row says whether its
// replica had work waiting on the budget. A replica that dies stops renewing,
// and the others take its part at the instant its lease runs out.
package budget

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
)

// Leases is the state store's half of it (state.Store and state.MemoryStore).
type Leases interface {
	// RenewReplica renews owner's lease, publishing whether it has work
	// waiting, and returns the live leases, owner's included.
	RenewReplica(ctx context.Context, owner string, lease time.Duration, demand bool) ([]audit.ReplicaLease, error)
	// DropReplica ends owner's lease at once, on a clean stop.
	DropReplica(ctx context.Context, owner string) error
}

// DefaultLease is how long a replica's lease lasts without a heartbeat: the
// longest a dead replica's part stays unused.
const DefaultLease = 10 * time.Second

// Share is this replica's part of the deployment's budget (see split for the
// rule). It implements quota.Budget; the Cognito limiters and the bulk job
// limits read it on every wait and call Want when a caller had to wait. It
// starts at the whole budget, which holds until the first renewal (Start
// does one before the bot serves anything).
type Share struct {
	leases Leases
	owner  string
	lease  time.Duration
	log    *zap.Logger
	now    func() time.Time
	part   atomic.Uint64 // math.Float64bits
	live   atomic.Int64
	wanted atomic.Bool // a caller waited since the last renewal
	// published is the demand the lease row says; kick asks Run to renew at
	// once when demand appears that the row does not say yet.
	published atomic.Bool
	kick      chan struct{}

	mu        sync.Mutex
	seen      []audit.ReplicaLease // the leases at the last renewal
	renewedAt time.Time            // the last successful renewal
	raiseAt   time.Time            // a deferred raise applies from then (zero: none)
}

// Option configures a Share.
type Option func(*Share)

// WithClock sets the time source (tests inject one; the default is time.Now).
func WithClock(now func() time.Time) Option { return func(s *Share) { s.now = now } }

// New returns owner's share, renewed every lease/10 by Run.
func New(leases Leases, owner string, lease time.Duration, log *zap.Logger, opts ...Option) *Share {
	if lease <= 0 {
		lease = DefaultLease
	}
	if log == nil {
		log = zap.NewNop()
	}
	s := &Share{leases: leases, owner: owner, lease: lease, log: log, now: time.Now, kick: make(chan struct{}, 1)}
	for _, o := range opts {
		o(s)
	}
	s.part.Store(math.Float64bits(1))
	s.live.Store(1)
	return s
}

// Fraction is this replica's part of every quota, in (0, 1].
func (s *Share) Fraction() float64 { return math.Float64frombits(s.part.Load()) }

// Live is how many replicas shared the budget at the last renewal.
func (s *Share) Live() int { return int(s.live.Load()) }

// Want records that a caller had to wait for the budget: the next heartbeat
// publishes that this replica has work waiting. When the lease row says
// otherwise, Run renews at once rather than a heartbeat later, so the others
// learn of the demand sooner.
func (s *Share) Want() {
	if !s.wanted.Swap(true) && !s.published.Load() {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
}

// heartbeat is how often the lease is renewed: often enough that a change of
// demand settles within about two heartbeats (the others lower at their next
// renewal, the one that wants more raises a heartbeat after), and a dead
// replica misses ten before its lease ends. Each is one conditional write and
// one query of a few rows.
func (s *Share) heartbeat() time.Duration { return s.lease / 10 }

// Renew renews this replica's lease, publishing whether a caller waited since
// the last renewal, and takes its part of the new split. When the store cannot
// be reached the last part is kept (and the demand is published next time).
func (s *Share) Renew(ctx context.Context) error {
	demand := s.wanted.Swap(false)
	leases, err := s.leases.RenewReplica(ctx, s.owner, s.lease, demand)
	if err != nil {
		if demand {
			s.wanted.Store(true)
		}
		return err
	}
	s.published.Store(demand)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	old := s.seen
	s.seen, s.renewedAt = leases, now
	s.apply(now, old)
	return nil
}

// Recompute takes the part of the split at the last renewal's leases as of
// now, without asking the store: at the instant a lease seen then runs out,
// its replica is gone (a live one has renewed since, two heartbeats before
// its lease would end), and at the instant a deferred raise is due. Run calls
// it at NextChange; it does nothing when the last renewal is older than two
// heartbeats (the store is out of reach, so the leases seen may be stale).
func (s *Share) Recompute() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.renewedAt.IsZero() || now.Sub(s.renewedAt) > 2*s.heartbeat() {
		return
	}
	s.apply(now, s.seen)
}

// NextChange is when the part may next change without a renewal: the first
// expiry among the other replicas' leases seen, or a deferred raise; zero when
// neither is pending.
func (s *Share) NextChange() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	now, next := s.now(), time.Time{}
	if s.raiseAt.After(now) { // one already due waits for the next renewal
		next = s.raiseAt
	}
	for _, l := range s.seen {
		if l.Owner != s.owner && l.Until.After(now) && (next.IsZero() || l.Until.Before(next)) {
			next = l.Until
		}
	}
	return next
}

// apply takes this replica's part of the split of s.seen at now. Lowering is
// at once; raising waits one heartbeat when another replica's part falls in
// the same change (it lowers only at its own next renewal, so until then both
// parts together could exceed the budget). A raise because replicas left or
// ran out is at once: they no longer call. Call with s.mu held.
func (s *Share) apply(now time.Time, before []audit.ReplicaLease) {
	live := alive(s.seen, now, s.owner)
	target := split(live, s.owner)
	cur := s.Fraction()
	switch {
	case len(before) == 0 && len(live) > 1:
		// Joining: the others still run at their old parts until their next
		// renewal, so start at most at the idle floor and raise a heartbeat on.
		target = min(target, IdleFloor)
		s.raiseAt = now.Add(s.heartbeat())
	case target <= cur:
		s.raiseAt = time.Time{}
	case !s.raiseAt.IsZero() && now.Before(s.raiseAt):
		return // a raise is deferred; keep the lower part until then
	case s.raiseAt.IsZero() && othersLose(live, alive(before, now, s.owner), s.owner):
		s.raiseAt = now.Add(s.heartbeat())
		return
	default:
		s.raiseAt = time.Time{}
	}
	if old := s.live.Swap(int64(len(live))); old != int64(len(live)) || target != cur {
		s.log.Info("Cognito budget shared anew", zap.Int("replicas", len(live)), zap.Float64("part", target))
	}
	s.part.Store(math.Float64bits(target))
}

// Run renews the lease every heartbeat (lease/10) and recomputes the part at
// every NextChange until ctx ends, then drops the lease so the other replicas
// take this one's part at their next heartbeat.
func (s *Share) Run(ctx context.Context) {
	t := time.NewTicker(s.heartbeat())
	defer t.Stop()
	change := time.NewTimer(time.Hour)
	defer change.Stop()
	renew := func() {
		rctx, cancel := context.WithTimeout(ctx, s.lease/3) // a slow renewal keeps the last part
		defer cancel()
		if err := s.Renew(rctx); err != nil && ctx.Err() == nil {
			s.log.Warn("renewing the replica lease; keeping the last budget part", zap.Error(err))
		}
	}
	renew()
	for {
		wait := time.Hour
		if next := s.NextChange(); !next.IsZero() {
			wait = max(next.Sub(s.now()), time.Millisecond)
		}
		change.Reset(wait)
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			if err := s.leases.DropReplica(dctx, s.owner); err != nil {
				s.log.Warn("dropping the replica lease; the others take its budget when it runs out", zap.Error(err))
			}
			return
		case <-t.C:
			renew()
		case <-s.kick:
			renew()
		case <-change.C:
			s.Recompute()
		}
	}
}
