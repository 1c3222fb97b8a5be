package state

import (
	"context"
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// Store keeps pending actions and short-lived sessions in the DynamoDB state table.
// MemoryStore is the same store kept in process memory.
type Store struct {
	storeCore
}

// storeCore is the whole behaviour of a store, whatever table it is stored in; Store and
// MemoryStore embed it, so they share one method set and one set of rules.
type storeCore struct {
	t    table.Table
	opts audit.Settings
}

// NewStore returns a Store on the table named name. Use audit.NewClient to build
// api (a *dynamodb.Client; tests pass a fake).
func NewStore(api table.API, name string, opts ...audit.Option) *Store {
	return &Store{storeCore{t: table.Dynamo{API: api, Name: name}, opts: audit.SettingsOf(opts)}}
}

// Create stores p as a new PENDING action and returns it as stored. It assigns an ID
// when p.ID is empty, stamps CreatedAt when zero, sets State=PENDING and Version=1, and
// redacts Params. The put is conditional, so reusing an ID returns ErrDuplicate.
func (s *storeCore) Create(ctx context.Context, p audit.Pending) (audit.Pending, error) {
	if !p.Kind.Known() {
		return audit.Pending{}, fmt.Errorf("creating pending action: %w: kind %q", audit.ErrInvalid, p.Kind)
	}
	if p.Action == "" || p.Requester.UserID == "" || p.Requester.TeamID == "" {
		return audit.Pending{}, fmt.Errorf("creating pending action: %w: needs an action and a requester", audit.ErrInvalid)
	}
	if p.ID == "" {
		p.ID = audit.NewID()
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.opts.Clock()
	}
	if !p.ExpiresAt.After(p.CreatedAt) {
		return audit.Pending{}, fmt.Errorf("creating pending action: %w: ExpiresAt must be after CreatedAt", audit.ErrInvalid)
	}
	p.CreatedAt, p.ExpiresAt = p.CreatedAt.UTC(), p.ExpiresAt.UTC()
	p.State, p.Version = audit.StatePending, 1
	p.DecidedBy, p.DecidedAt, p.DecisionReason, p.Result = audit.Actor{}, time.Time{}, "", ""
	// Params are what will be done: stored exactly, or refused. The snapshot
	// is for display and a status check: long values (a user in many groups)
	// are cut rather than refused.
	if err := audit.CheckStateParams("creating pending action: params", storedParams(p)); err != nil {
		return audit.Pending{}, err
	}
	p.Params, p.Old = audit.ExactParams(p.Params), audit.ExactParams(p.Old) // the snapshot is sanitized as it is stored
	it, err := table.Marshal(toPendingItem(p, s.opts.PendingRetention))
	if err != nil {
		return audit.Pending{}, fmt.Errorf("creating pending action: %w: %v", audit.ErrInvalid, err)
	}
	err = s.t.Create(ctx, it)
	if table.ConditionFailed(err) != nil {
		return audit.Pending{}, fmt.Errorf("creating pending action %q: %w", p.ID, audit.Duplicate(err))
	}
	if err != nil {
		return audit.Pending{}, fmt.Errorf("creating pending action %q: %w", p.ID, table.Unavailable(err))
	}
	// Decode what was written, so Create returns exactly what a later Get will.
	return unmarshalPending(it)
}

// Get reads a pending action with a strongly consistent read. The id usually comes from
// a Slack button, so an unknown or malformed id is simply ErrNotFound.
func (s *storeCore) Get(ctx context.Context, id string) (audit.Pending, error) {
	if id == "" {
		return audit.Pending{}, fmt.Errorf("reading pending action: %w", audit.ErrNotFound)
	}
	it, err := s.t.Get(ctx, table.PendingKey(id))
	if err != nil {
		return audit.Pending{}, fmt.Errorf("reading pending action %q: %w", id, table.Unavailable(err))
	}
	if it == nil {
		return audit.Pending{}, fmt.Errorf("reading pending action %q: %w", id, audit.ErrNotFound)
	}
	p, err := unmarshalPending(it)
	if err != nil {
		return audit.Pending{}, fmt.Errorf("reading pending action %q: %w", id, err)
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
func NewMemoryStore(opts ...audit.Option) *MemoryStore {
	core := storeCore{opts: audit.SettingsOf(opts)}
	core.t = table.NewMemory(core.opts.Clock)
	return &MemoryStore{core}
}
