package audit

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// State is where a pending action is in its life. The allowed moves are listed in
// Store.Transition; DONE, FAILED, CANCELLED, EXPIRED and REJECTED are final.
type State string

// States. They carry a State prefix because the name Pending belongs to the pending
// action type itself.
const (
	// StatePending waits for the requester's confirmation or an approver's decision.
	StatePending State = "PENDING"
	// StateExecuting means one click won and the Cognito call is under way.
	StateExecuting State = "EXECUTING"
	// StateDone means the action ran and succeeded.
	StateDone State = "DONE"
	// StateFailed means the action ran and failed; it is not retried from the same request.
	StateFailed State = "FAILED"
	// StateCancelled means the requester withdrew the request.
	StateCancelled State = "CANCELLED"
	// StateExpired means nobody acted before the deadline.
	StateExpired State = "EXPIRED"
	// StateRejected means an approver refused the request.
	StateRejected State = "REJECTED"
)

// Kinds of pending action.
const (
	// KindConfirm is a destructive action waiting for its requester's Confirm click.
	KindConfirm = "confirm"
	// KindApproval is an action waiting for a second person's approval.
	KindApproval = "approval"
)

// Pending is an action a Slack button points at. The button carries only ID; everything
// else is read back from DynamoDB, so a forged or replayed button cannot change what is
// executed.
type Pending struct {
	// ID is opaque and random (see NewID).
	ID string
	// Kind is KindConfirm or KindApproval.
	Kind   string
	Action string
	Target Target
	// Params are the action's parameters, redacted like Entry.Params: secrets are never
	// stored here either.
	Params    map[string]string
	Reason    string
	Requester Actor
	Channel   string
	State     State
	// CreatedAt is stamped by Create when zero; ExpiresAt is the decision deadline.
	CreatedAt time.Time
	ExpiresAt time.Time
	// DecidedBy and DecidedAt record who approved, rejected, executed or cancelled.
	DecidedBy Actor
	DecidedAt time.Time
	// DecisionReason is the decider's reason (Update.Reason), e.g. why it was rejected;
	// it is kept apart from Reason so the requester's justification is never overwritten.
	DecisionReason string
	// Result is the outcome message after execution.
	Result string
	// Snapshot is the target's state at request time (sub, status, enabled), so an
	// approval can re-check that the user has not changed in the meantime.
	Snapshot map[string]string
	// CardChannel and CardTS locate the approval card, so it can be updated later.
	CardChannel string
	CardTS      string
	// Escalated says the request waited past its rule's escalate_after, so
	// escalate_to may approve it too (MarkEscalated).
	Escalated bool
	// Version counts the writes to the item, starting at 1.
	Version int64
}

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

// NewID returns a new opaque id: 128 random bits from crypto/rand as 26 base32
// characters (A–Z, 2–7), safe in URLs and Slack button values and impossible to guess.
func NewID() string { return rand.Text() }

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
