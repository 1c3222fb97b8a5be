package audit

import (
	"errors"
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// Sentinel errors. Callers match them with errors.Is; the DynamoDB cause, where there is
// one, stays in the chain.
var (
	// ErrDuplicate is returned by Log.Begin, Log.Record and state.Store.Create when an item with
	// the same id already exists: the write is a retry or a double delivery and has already
	// happened. It wraps *types.ConditionalCheckFailedException.
	ErrDuplicate = errors.New("duplicate id")

	// ErrAlreadyFinished is returned by Log.Finish when the entry's outcome is no longer
	// pending, so a repeated finish can never overwrite the first outcome.
	ErrAlreadyFinished = errors.New("audit entry already finished")

	// ErrNotFound is returned when an entry, pending action or session does not exist, and
	// by state.Store.GetSession when the session has expired but not been swept yet.
	ErrNotFound = errors.New("not found")

	// ErrConflict is matched by *TransitionError: another request (a double click, a Slack
	// retry, another replica, the expiry sweeper) changed the pending action first.
	ErrConflict = errors.New("pending action changed concurrently")

	// ErrExpired is also matched by a *TransitionError whose pending action is past its
	// deadline (still PENDING but too late to act on, or already EXPIRED), so the bot can
	// say "this request has expired" rather than "someone else got there first".
	ErrExpired = errors.New("pending action expired")

	// ErrUnreadable is returned when a stored item (a pending action, a schedule)
	// holds something this version cannot map to its fields, e.g. a kind it does
	// not know: the item is refused as it is, never acted on as something else.
	ErrUnreadable = errors.New("stored item this version cannot read")

	// ErrInvalidTransition is returned by state.Store.Transition, without calling DynamoDB, for a
	// move the state machine does not allow (e.g. FAILED→PENDING).
	ErrInvalidTransition = errors.New("invalid state transition")

	// ErrInvalid is returned, without calling DynamoDB, for arguments that could never be
	// stored: an empty id, an unknown decision or outcome, a malformed cursor. It is the
	// storage's own sentinel (table.ErrInvalid), so a cursor the table refuses matches it.
	ErrInvalid = table.ErrInvalid

	// ErrUnavailable wraps every DynamoDB failure that is not a condition failure: the
	// network is down, requests were throttled after retries, the table is missing, the
	// context was cancelled. The outcome of the write is unknown, so callers fail closed.
	// It is the storage's own sentinel (table.ErrUnavailable).
	ErrUnavailable = table.ErrUnavailable
)

// TransitionError is returned by state.Store.Transition when the conditional update loses: the
// pending action was no longer in the expected state, or had expired. Current is the item
// as DynamoDB held it at that moment (read atomically with the failed condition through
// ReturnValuesOnConditionCheckFailure=ALL_OLD), so the loser can answer "already approved
// by <DecidedBy>".
type TransitionError struct {
	From, To State
	Current  Pending
	// At is the store's clock when the transition was attempted; it decides whether the
	// error also matches ErrExpired.
	At time.Time
}

// Error describes the lost transition without any parameter values.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("moving pending action %q from %s to %s: it is %s: %v",
		e.Current.ID, e.From, e.To, e.Current.State, ErrConflict)
}

// Is makes a TransitionError match ErrConflict always, and ErrExpired when the pending
// action is expired or past its deadline.
func (e *TransitionError) Is(target error) bool {
	switch target {
	case ErrConflict:
		return true
	case ErrExpired:
		return e.Current.State == StateExpired ||
			(e.Current.State == StatePending && !e.At.Before(e.Current.ExpiresAt))
	}
	return false
}

// Duplicate marks a condition failure on a create as ErrDuplicate while keeping the cause.
func Duplicate(err error) error {
	return fmt.Errorf("%w: %w", ErrDuplicate, err)
}
