package state

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// JobTargets lists up to limit targets of a job with an index above after (-1 for the
// first), in index order. The listing reads an index, which DynamoDB keeps eventually
// consistent: use ClaimTarget's answer, not the listing, to decide what to run.
func (s *storeCore) JobTargets(ctx context.Context, jobID string, after, limit int) ([]audit.JobTarget, error) {
	if limit <= 0 {
		limit = 100
	}
	q := table.IndexQuery{Index: table.IndexByJob, PKAttr: table.AttrJobPK, SKAttr: table.AttrJobSK, Partition: jobKey(jobID), Limit: limit}
	if after >= 0 {
		q.Above = targetSK(after)
	}
	items, _, err := s.t.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("listing targets of job %q: %w", jobID, table.Unavailable(err))
	}
	out := make([]audit.JobTarget, 0, len(items))
	for _, it := range items {
		t, err := unmarshalTarget(it)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// GetTarget reads one target with a strongly consistent read.
func (s *storeCore) GetTarget(ctx context.Context, jobID string, index int) (audit.JobTarget, error) {
	it, err := s.t.Get(ctx, targetItemKey(jobID, index))
	if err != nil {
		return audit.JobTarget{}, fmt.Errorf("reading target %d of job %q: %w", index, jobID, table.Unavailable(err))
	}
	if it == nil {
		return audit.JobTarget{}, fmt.Errorf("reading target %d of job %q: %w", index, jobID, audit.ErrNotFound)
	}
	return unmarshalTarget(it)
}

// ClaimTarget moves a PENDING target to RUNNING for owner. Exactly one claimer wins;
// the others get a *TargetError with the target as it is.
func (s *storeCore) ClaimTarget(ctx context.Context, jobID string, index int, owner string) (audit.JobTarget, error) {
	var c table.Change
	c.Require("state", table.OpEqual, string(audit.TargetPending))
	c.Set("state", string(audit.TargetRunning))
	c.Set("owner", owner)
	return s.updateTarget(ctx, jobID, index, "claiming target", c)
}

// TakeTarget hands a RUNNING target from a stopped runner (from) to owner, once.
func (s *storeCore) TakeTarget(ctx context.Context, jobID string, index int, from, owner string) (audit.JobTarget, error) {
	var c table.Change
	c.Require("state", table.OpEqual, string(audit.TargetRunning))
	c.Require("owner", table.OpEqual, from)
	c.Set("owner", owner)
	return s.updateTarget(ctx, jobID, index, "taking over target", c)
}

// SettleTarget records a RUNNING target's result (DONE, FAILED or SKIPPED) for its
// owner, once; an owner who lost the target gets a *TargetError.
func (s *storeCore) SettleTarget(ctx context.Context, jobID string, index int, owner string, to audit.TargetState, note string) (audit.JobTarget, error) {
	if !to.Final() {
		return audit.JobTarget{}, fmt.Errorf("settling target: %w: state %s", audit.ErrInvalid, to)
	}
	var c table.Change
	c.Require("state", table.OpEqual, string(audit.TargetRunning))
	c.Require("owner", table.OpEqual, owner)
	c.Set("state", string(to))
	c.SetIf("note", audit.Truncate(note, audit.MaxText))
	c.Set("finished_at", table.FormatTime(s.opts.Clock()))
	return s.updateTarget(ctx, jobID, index, "settling target", c)
}

func (s *storeCore) updateTarget(ctx context.Context, jobID string, index int, what string, c table.Change) (audit.JobTarget, error) {
	key := targetItemKey(jobID, index)
	written, err := s.t.Update(ctx, key, c)
	if ccf := table.ConditionFailed(err); ccf != nil {
		old := ccf.Item
		if len(old) == 0 {
			if old, err = s.t.Get(ctx, key); err != nil {
				return audit.JobTarget{}, fmt.Errorf("%s: %w", what, table.Unavailable(err))
			}
			if old == nil {
				return audit.JobTarget{}, fmt.Errorf("%s %d of job %q: %w", what, index, jobID, audit.ErrNotFound)
			}
		}
		cur, err := unmarshalTarget(old)
		if err != nil {
			return audit.JobTarget{}, err
		}
		return audit.JobTarget{}, &audit.TargetError{What: what, Current: cur}
	}
	if err != nil {
		return audit.JobTarget{}, fmt.Errorf("%s %d of job %q: %w", what, index, jobID, table.Unavailable(err))
	}
	return unmarshalTarget(written)
}
