package audit

import (
	"fmt"
	"time"
)

// Kinds of scheduled action.
const (
	// ScheduleHardDelete is the permanent deletion that follows a delete after
	// its undo window: the user was disabled and signed out at once, and is
	// deleted when the schedule is due unless someone undoes it first.
	ScheduleHardDelete = "hard-delete"
	// ScheduleAction is an action a requester asked to run at a later time
	// (disable, suspend, delete --at).
	ScheduleAction = "at"
)

// Scheduled is an action that runs later by itself: the hard delete after an
// undo window, or an action requested for a given time. It waits in the state
// table (StatePending), so it survives restarts; one replica's conditional
// write claims it when due (StateExecuting) and it ends DONE, FAILED or, when
// undone or cancelled first, CANCELLED.
type Scheduled struct {
	// ID is opaque and random (NewID), safe in a button value.
	ID string
	// Kind is ScheduleHardDelete or ScheduleAction.
	Kind   string
	Action string
	// Target is who it is about; PoolName the pool's configured name.
	Target   Target
	PoolName string
	// Args are the action's args, stored exactly as for a pending action.
	Args   map[string]string
	Reason string
	// Requester asked for it in Channel; the run is authorized as them.
	Requester Actor
	Channel   string
	// ApprovedBy approved it (empty when no approval applied), under ApprovalID,
	// the pending action it came from; RequestID is the audit entry of the
	// request (the soft delete's intent, or the scheduling).
	ApprovedBy Actor
	ApprovalID string
	RequestID  string
	// RunAt is when it is due; CreatedAt when it was scheduled.
	RunAt     time.Time
	CreatedAt time.Time
	State     State
	// DecidedBy cancelled or undid it; DecidedAt is when it left PENDING.
	DecidedBy Actor
	DecidedAt time.Time
	// Result is the outcome message.
	Result string
	// Snapshot is what a hard delete's undo restores and says it cannot:
	// enabled, status, MFA preference, attributes (attr.NAME); Groups the
	// user's groups when it was taken.
	Snapshot map[string]string
	Groups   []string
	Version  int64
}

// ScheduleUpdate carries what a move of a Scheduled writes besides its state.
type ScheduleUpdate struct {
	DecidedBy *Actor
	Result    string
}

// ScheduleConflict is a lost MoveSchedule: Current is the schedule as it was.
type ScheduleConflict struct{ Current Scheduled }

func (e *ScheduleConflict) Error() string {
	return fmt.Sprintf("schedule %q is %s: %v", e.Current.ID, e.Current.State, ErrConflict)
}

// Is makes a ScheduleConflict match ErrConflict.
func (e *ScheduleConflict) Is(target error) bool { return target == ErrConflict }
