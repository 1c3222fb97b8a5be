package longjobs

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
)

// A dry run of named users keeps its names with its job, so that any replica
// can run it again: the job's target 0 is its one piece of work (claimed by
// the runner, settled when the answer is delivered), and targets 1 to n are
// the names in the order given, each stored exactly and already settled as
// skipped (no runner ever claims them). Their number is bounded by the bulk
// limit (jobs.MaxBulkInputs, below audit.MaxJobTargets); each is a row of its
// own, so the names need not fit in the job's row.

// namedNote marks a target that only keeps a name to check.
const namedNote = "a name to check"

// checkTargets are the targets of c's job: its work, then its names.
func checkTargets(c Check) ([]audit.JobTarget, error) {
	targets := make([]audit.JobTarget, 0, 1+len(c.Names))
	targets = append(targets, audit.JobTarget{Index: 0, Input: c.Pool.Name})
	for _, name := range c.Names {
		if len(name) > audit.MaxParamValue {
			// It would be stored cut short, and checked as another name.
			return nil, desk.Refusedf("Nothing was done: one of the names is longer than %d characters, which no user's is.", audit.MaxParamValue)
		}
		targets = append(targets, audit.JobTarget{Input: name, State: audit.TargetSkipped, Note: namedNote})
	}
	return targets, nil
}

// Names are the names job's dry run checks: those Start handed to its first
// attempt here, or read back from the job's targets (every one of them, or
// an error).
func (b *Checks) Names(ctx context.Context, job audit.Job) ([]string, error) {
	if v, ok := b.files.LoadAndDelete(job.ID); ok {
		if names, ok := v.([]string); ok {
			return names, nil
		}
	}
	names := make([]string, 0, max(job.Total-1, 0))
	for after := 0; ; {
		page, err := b.JobStore.JobTargets(ctx, job.ID, after, 100)
		if err != nil {
			return nil, fmt.Errorf("reading the names of the check job %s: %w: %w", job.ID, desk.ErrStateUnavailable, err)
		}
		for _, t := range page {
			names = append(names, t.Input)
			after = t.Index
		}
		if len(page) < 100 {
			break
		}
	}
	if len(names) != job.Total-1 {
		return nil, fmt.Errorf("the check job %s keeps %d names, %d read: %w", job.ID, job.Total-1, len(names), desk.ErrStateUnavailable)
	}
	return names, nil
}
