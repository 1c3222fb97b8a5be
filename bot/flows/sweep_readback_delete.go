package flows

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
)

// A delete waiting out its undo window first schedules the deletion, then
// disables the user (and signs them out). When its bot stopped mid-way, the
// sweeper reads both back: this action's schedule and the user.
const (
	// ReadBackScheduledDone is a delete read back as having taken effect: the
	// user disabled, with its deletion pending (%s is when).
	ReadBackScheduledDone = "done (the bot stopped mid-way; reading the user back shows it took effect: the user is disabled and will be deleted %s)"
	// ReadBackDeletionCalledOff is a delete whose bot stopped after scheduling
	// the deletion but before disabling the user: the deletion is called off.
	ReadBackDeletionCalledOff = "not done: the bot stopped mid-way; reading the user back shows they are still enabled, so their scheduled deletion was called off; run it again"
	// deletionCalledOff is the called-off schedule's result.
	deletionCalledOff = "the bot stopped before the user was disabled, so the deletion was called off"
	// scheduledDone words the settled delete, as its run would have.
	scheduledDone = "disabled and scheduled the deletion of"
)

// deletionMadeBy is the pending deletion of the user with this sub when the
// action p made it (its schedule carries p's exec intent id), else nil.
func (b *Flows) deletionMadeBy(ctx context.Context, p audit.Pending, sub string) (*audit.Scheduled, error) {
	sc, err := b.JobHooks.PendingDeletion(ctx, p.Target.Pool, sub)
	if err != nil || sc == nil || sc.RequestID != auditid.ForExec(p.ID) {
		return nil, err
	}
	return sc, nil
}

// undoableReadSummary is the audited read-back's summary for a delete
// waiting out its undo window.
func undoableReadSummary(deletion *audit.Scheduled, enabled bool) string {
	switch {
	case deletion == nil:
		return "read back: nothing scheduled"
	case enabled:
		return "read back: deletion scheduled, user still enabled"
	}
	return "read back: disabled, deletion scheduled"
}

// settleUndoableDelete settles a delete whose schedule the read-back found:
// done when the user is disabled; otherwise the deletion is called off (as
// the delete itself does when it cannot disable the user) and it is not done.
// A schedule that cannot be called off (moved on, or the store down) leaves
// the action for the next sweep.
func (b *Flows) settleUndoableDelete(ctx context.Context, deletion audit.Scheduled, disabled bool) (readBackOutcome, error) {
	if disabled {
		when := deletion.RunAt.UTC().Format("2006-01-02 15:04 UTC")
		return readBackOutcome{reached: true, known: true, said: fmt.Sprintf(ReadBackScheduledDone, when), done: scheduledDone}, nil
	}
	if _, err := b.State.MoveSchedule(ctx, deletion.ID, audit.StatePending, audit.StateCancelled,
		audit.ScheduleUpdate{Result: deletionCalledOff}); err != nil {
		return readBackOutcome{}, fmt.Errorf("calling off the deletion of a user still enabled: %w", err)
	}
	return readBackOutcome{known: true, said: ReadBackDeletionCalledOff}, nil
}
