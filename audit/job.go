package audit

import (
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// JobState is where a bulk job is in its life: DRAFT after the dry run, RUNNING once
// confirmed (whichever replica holds the lease runs it), then FINISHED or CANCELLED;
// a draft nobody confirmed becomes DISCARDED.
type JobState string

// Job states.
const (
	JobDraft     JobState = "DRAFT"
	JobRunning   JobState = "RUNNING"
	JobFinished  JobState = "FINISHED"
	JobCancelled JobState = "CANCELLED"
	JobDiscarded JobState = "DISCARDED"
)

// TargetState is where one target of a job is. PENDING → RUNNING (claimed by one
// replica) → DONE, FAILED or SKIPPED; the claim is a conditional write, so no target
// is ever run twice. Targets skipped at the dry run are stored SKIPPED from the start.
type TargetState string

// Target states.
const (
	TargetPending TargetState = "PENDING"
	TargetRunning TargetState = "RUNNING"
	TargetDone    TargetState = "DONE"
	TargetFailed  TargetState = "FAILED"
	TargetSkipped TargetState = "SKIPPED"
)

// Final reports whether a target has been settled.
func (s TargetState) Final() bool {
	return s == TargetDone || s == TargetFailed || s == TargetSkipped
}

// Job is one bulk operation: an action applied to many users, one audited step per
// user. The job item holds what to do and who runs it (Owner until LeaseUntil); its
// targets are separate items, so a job of 10 000 users stays far below DynamoDB's
// item size and each target can be settled with its own conditional write.
type Job struct {
	ID string
	// Action is the single-user action run on each target (or actions.Import).
	Action actions.Action
	// Pool is the pool's configured name; PoolID its Cognito id.
	Pool, PoolID string
	// Args are the action's arguments by name (e.g. group).
	Args      map[string]string
	Reason    string
	Requester Actor
	Channel   string
	State     JobState
	// Total is the number of targets, skipped ones included.
	Total int
	// ToRun is how many targets the job will act on (Total less those skipped at
	// the dry run), counted by CreateJob; approval thresholds compare it.
	ToRun     int
	CreatedAt time.Time
	// ExpiresAt is the deadline for confirming a draft.
	ExpiresAt time.Time
	// Owner is the replica running the job while LeaseUntil is in the future.
	Owner      string
	LeaseUntil time.Time
	// CancelledBy is set when someone asked to cancel; the runner stops between
	// targets.
	CancelledBy Actor
	CancelledAt time.Time
	// StartedBy confirmed (or approved) the job.
	StartedBy Actor
	// MessageChannel and MessageTS locate the progress message.
	MessageChannel, MessageTS string
	FinishedAt                time.Time
	Summary                   string
	Version                   int64
}

// Cancelled reports whether someone asked to cancel the job.
func (j Job) Cancelled() bool { return j.CancelledBy.UserID != "" }

// JobTarget is one user of a job, resolved exactly at the dry run.
type JobTarget struct {
	JobID string
	Index int
	// Input is what the requester gave (a username, an email, a CSV line).
	Input string
	// Username and Sub identify the user exactly; empty when the input matched nobody.
	Username, Sub string
	// Data carries per-target parameters (an imported user's attributes).
	Data  map[string]string
	State TargetState
	// Note is why it was skipped, the error, or the outcome summary.
	Note  string
	Owner string
}

// JobError is returned when a conditional job or target write loses: Current is the
// job as it was. It matches ErrConflict.
type JobError struct {
	What    string
	Current Job
}

func (e *JobError) Error() string {
	return fmt.Sprintf("%s: job %q is %s (owner %q): %v", e.What, e.Current.ID, e.Current.State, e.Current.Owner, ErrConflict)
}

// Is makes a JobError match ErrConflict.
func (e *JobError) Is(target error) bool { return target == ErrConflict }

// TargetError is returned when a target's conditional write loses; Current is the
// target as it was. It matches ErrConflict.
type TargetError struct {
	What    string
	Current JobTarget
}

func (e *TargetError) Error() string {
	return fmt.Sprintf("%s: target %d of job %q is %s: %v", e.What, e.Current.Index, e.Current.JobID, e.Current.State, ErrConflict)
}

// Is makes a TargetError match ErrConflict.
func (e *TargetError) Is(target error) bool { return target == ErrConflict }

// MaxJobTargets bounds a job, so its targets can be listed and reported at once.
const MaxJobTargets = 20000
