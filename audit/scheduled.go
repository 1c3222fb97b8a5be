package audit

import (
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// ScheduleKind says why an action waits: an undo window, or a time asked for.
type ScheduleKind string

// Kinds of scheduled action.
const (
	// ScheduleHardDelete is the permanent deletion that follows a delete after
	// its undo window: the user was disabled and signed out at once, and is
	// deleted when the schedule is due unless someone undoes it first.
	ScheduleHardDelete ScheduleKind = "hard-delete"
	// ScheduleAction is an action a requester asked to run at a later time
	// (disable, suspend, delete --at).
	ScheduleAction ScheduleKind = "at"
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
	Kind   ScheduleKind
	Action actions.Action
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
	// JobID and JobTarget are the bulk job and the index of its target whose
	// delete made it (JobID "" for one user's delete): a runner resuming that
	// target after its runner stopped finds its own deletion by them, exactly.
	JobID     string
	JobTarget int
	// RunAt is when it is due; CreatedAt when it was scheduled.
	RunAt     time.Time
	CreatedAt time.Time
	State     State
	// DecidedBy cancelled or undid it; DecidedAt is when it left PENDING.
	DecidedBy Actor
	DecidedAt time.Time
	// Result is the outcome message.
	Result string
	// Snapshot is what a hard delete's undo restores and says it cannot; nil
	// for a schedule that keeps none. Groups are the user's groups when it
	// was taken.
	Snapshot *DeletionSnapshot
	Groups   []string
	Version  int64
}

// MadeByJobTarget reports whether s is the deletion that target index of bulk
// job jobID made, by what s stores exactly: the job and target it keeps, or,
// written before schedules kept them, the intent id of the target's first
// attempt as its request. False for any other request's, and for jobID "".
func (s Scheduled) MadeByJobTarget(jobID string, index int) bool {
	switch {
	case jobID == "" || s.Kind != ScheduleHardDelete:
		return false
	case s.JobID != "":
		return s.JobID == jobID && s.JobTarget == index
	}
	return s.RequestID == auditid.ForJobTarget(jobID, index)
}

// Known reports whether k is one of the kinds this version runs.
func (k ScheduleKind) Known() bool { return k == ScheduleHardDelete || k == ScheduleAction }

// DeletionSnapshot is a user as they were when a delete began its undo window:
// whether they were enabled, their status, MFA and attributes.
type DeletionSnapshot struct {
	Enabled bool
	Status  string
	// PreferredMFA and MFA (the methods) are recorded so an undo can say what
	// it cannot restore.
	PreferredMFA string
	MFA          []string
	Attributes   map[string]string
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
