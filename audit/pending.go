package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Store keeps pending actions and short-lived sessions in the DynamoDB state table.
// MemoryStore is the same store kept in process memory.
type Store struct {
	storeCore
}

// storeCore is the whole behaviour of a store, whatever table it is stored in; Store and
// MemoryStore embed it, so they share one method set and one set of rules.
type storeCore struct {
	t    table
	opts options
}

// NewStore returns a Store on table. Use NewClient to build client.
func NewStore(client *dynamodb.Client, table string, opts ...Option) *Store {
	return newStore(client, table, opts...)
}

func newStore(api dynamoAPI, table string, opts ...Option) *Store {
	return &Store{storeCore{t: dynamoTable{api: api, name: table}, opts: buildOptions(opts)}}
}

// Create stores p as a new PENDING action and returns it as stored. It assigns an ID
// when p.ID is empty, stamps CreatedAt when zero, sets State=PENDING and Version=1, and
// redacts Params. The put is conditional, so reusing an ID returns ErrDuplicate.
func (s *storeCore) Create(ctx context.Context, p Pending) (Pending, error) {
	if p.Kind != KindConfirm && p.Kind != KindApproval {
		return Pending{}, fmt.Errorf("creating pending action: %w: kind %q", ErrInvalid, p.Kind)
	}
	if p.Action == "" || p.Requester.UserID == "" || p.Requester.TeamID == "" {
		return Pending{}, fmt.Errorf("creating pending action: %w: needs an action and a requester", ErrInvalid)
	}
	if p.ID == "" {
		p.ID = NewID()
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.opts.clock()
	}
	if !p.ExpiresAt.After(p.CreatedAt) {
		return Pending{}, fmt.Errorf("creating pending action: %w: ExpiresAt must be after CreatedAt", ErrInvalid)
	}
	p.CreatedAt, p.ExpiresAt = p.CreatedAt.UTC(), p.ExpiresAt.UTC()
	p.State, p.Version = StatePending, 1
	p.DecidedBy, p.DecidedAt, p.DecisionReason, p.Result = Actor{}, time.Time{}, "", ""
	// Params are what will be done: stored exactly, or refused. The snapshot
	// is for display and a status check: long values (a user in many groups)
	// are cut rather than refused.
	if err := checkStateParams("creating pending action: params", p.Params); err != nil {
		return Pending{}, err
	}
	p.Params, p.Snapshot = exactParams(p.Params), sanitizeParams(p.Snapshot)
	it, err := marshal(toPendingItem(p, s.opts.pendingRetention))
	if err != nil {
		return Pending{}, fmt.Errorf("creating pending action: %w: %v", ErrInvalid, err)
	}
	err = s.t.create(ctx, it)
	if conditionFailed(err) != nil {
		return Pending{}, fmt.Errorf("creating pending action %q: %w", p.ID, duplicate(err))
	}
	if err != nil {
		return Pending{}, fmt.Errorf("creating pending action %q: %w", p.ID, unavailable(err))
	}
	// Decode what was written, so Create returns exactly what a later Get will.
	return unmarshalPending(it)
}

// Get reads a pending action with a strongly consistent read. The id usually comes from
// a Slack button, so an unknown or malformed id is simply ErrNotFound.
func (s *storeCore) Get(ctx context.Context, id string) (Pending, error) {
	if id == "" {
		return Pending{}, fmt.Errorf("reading pending action: %w", ErrNotFound)
	}
	it, err := s.t.get(ctx, pendingKey(id))
	if err != nil {
		return Pending{}, fmt.Errorf("reading pending action %q: %w", id, unavailable(err))
	}
	if it == nil {
		return Pending{}, fmt.Errorf("reading pending action %q: %w", id, ErrNotFound)
	}
	p, err := unmarshalPending(it)
	if err != nil {
		return Pending{}, fmt.Errorf("reading pending action %q: %w", id, err)
	}
	return p, nil
}

// MemoryStore is the state store kept in process memory, the counterpart of MemoryLog:
// Store's method set and rules, including the conditional state machine (one winner per
// transition, the loser told the current state), deadlines, the expiry and stuck
// listings, and session expiry, all against the store's clock. It is safe for
// concurrent use.
type MemoryStore struct {
	storeCore
}

// NewMemoryStore returns an empty MemoryStore. opts mean what they mean for NewStore.
func NewMemoryStore(opts ...Option) *MemoryStore {
	core := storeCore{opts: buildOptions(opts)}
	core.t = newMemTable(core.opts.clock)
	return &MemoryStore{core}
}
