package audit

import (
	"crypto/rand"
	"slices"
	"time"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// State is where a pending action is in its life. The allowed moves are listed in
// state.Store.Transition; DONE, FAILED, CANCELLED, EXPIRED and REJECTED are final.
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

// PendingKind says who must act on a pending action before it runs: its requester
// (KindConfirm) or an approver (KindApproval).
type PendingKind string

// Kinds of pending action.
const (
	// KindConfirm is a destructive action waiting for its requester's Confirm click.
	KindConfirm PendingKind = "confirm"
	// KindApproval is an action waiting for a second person's approval.
	KindApproval PendingKind = "approval"
)

// Known reports whether k is one of the kinds this version acts on.
func (k PendingKind) Known() bool { return k == KindConfirm || k == KindApproval }

// Pending is an action a Slack button points at. The button carries only ID; everything
// else is read back from DynamoDB, so a forged or replayed button cannot change what is
// executed.
type Pending struct {
	// ID is opaque and random (see NewID).
	ID string
	// Kind is KindConfirm or KindApproval.
	Kind PendingKind
	// Action is what runs once it is decided: a single-user action, or
	// actions.Bulk / actions.Export for the approval of a job or an export.
	Action actions.Action
	Target Target
	// Pool is the configured name of the pool the request was made for; the
	// request is refused if the name no longer names Target.Pool.
	Pool string
	// Job is the id of the bulk job a job approval starts; "" otherwise.
	Job string
	// JobApproval is what a job approval's card shows of the job; nil unless
	// Job is set.
	JobApproval *JobApproval
	// Params are the action's own parameters (arg.NAME, what an export's
	// approval shows), stored exactly; secrets are never stored.
	Params map[string]string
	// Old are the values an edit replaces, by attribute, so an approver sees
	// old → new; stored exactly, like Params.
	Old       map[string]string
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
	// Snapshot is the target's state at request time, so an approval can
	// re-check that the user has not changed in the meantime; nil when the
	// request is about no single user (a job, an export).
	Snapshot *TargetSnapshot
	// CardChannel and CardTS locate the approval card, so it can be updated later.
	CardChannel string
	CardTS      string
	// Escalated says the request waited past its rule's escalate_after, so
	// escalate_to may approve it too (MarkEscalated).
	Escalated bool
	// Version counts the writes to the item, starting at 1.
	Version int64
}

// JobApproval is a bulk job as its approval card shows it.
type JobApproval struct {
	// Action is the job's own action (the pending action's is actions.Bulk).
	Action actions.Action
	// Count is how many targets the job acts on; First their first usernames.
	Count int
	First []string
}

// TargetSnapshot is a user as the requester saw them: what the approval card
// shows, and the status and enabled flag an approved action re-checks.
type TargetSnapshot struct {
	Sub, Status, Email string
	Enabled            bool
	// Groups are sorted.
	Groups []string
}

// NewID returns a new opaque id: 128 random bits from crypto/rand as 26 base32
// characters (A–Z, 2–7), safe in URLs and Slack button values and impossible to guess.
func NewID() string { return rand.Text() }

// moves is the whole state machine. FAILED is final: a failed action is re-requested,
// never silently retried from the same approval.
var moves = map[State][]State{
	StatePending:   {StateExecuting, StateCancelled, StateExpired, StateRejected},
	StateExecuting: {StateDone, StateFailed},
}

// CanTransition reports whether the state machine allows moving from one state to another.
func CanTransition(from, to State) bool { return slices.Contains(moves[from], to) }

// Update carries the optional fields a transition writes along with the new state. Empty
// fields leave the stored values unchanged.
type Update struct {
	// DecidedBy is who approved, rejected, executed or cancelled.
	DecidedBy *Actor
	// DecidedAt defaults to the store's clock when DecidedBy is set.
	DecidedAt time.Time
	// Result is the outcome message after execution.
	Result string
	// CardChannel and CardTS locate the approval card.
	CardChannel, CardTS string
	// Reason is the decider's reason; it is stored as Pending.DecisionReason.
	Reason string
}
