package audit

import (
	"context"
	"fmt"
)

// JobTargets lists up to limit targets of a job with an index above after (-1 for the
// first), in index order. The listing reads an index, which DynamoDB keeps eventually
// consistent: use ClaimTarget's answer, not the listing, to decide what to run.
func (s *storeCore) JobTargets(ctx context.Context, jobID string, after, limit int) ([]JobTarget, error) {
	if limit <= 0 {
		limit = 100
	}
	q := indexQuery{index: indexByJob, pkAttr: attrJobPK, skAttr: attrJobSK, partition: jobKey(jobID), limit: limit}
	if after >= 0 {
		q.above = targetSK(after)
	}
	items, _, err := s.t.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("listing targets of job %q: %w", jobID, unavailable(err))
	}
	out := make([]JobTarget, 0, len(items))
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
func (s *storeCore) GetTarget(ctx context.Context, jobID string, index int) (JobTarget, error) {
	it, err := s.t.get(ctx, targetItemKey(jobID, index))
	if err != nil {
		return JobTarget{}, fmt.Errorf("reading target %d of job %q: %w", index, jobID, unavailable(err))
	}
	if it == nil {
		return JobTarget{}, fmt.Errorf("reading target %d of job %q: %w", index, jobID, ErrNotFound)
	}
	return unmarshalTarget(it)
}

// ClaimTarget moves a PENDING target to RUNNING for owner. Exactly one claimer wins;
// the others get a *TargetError with the target as it is.
func (s *storeCore) ClaimTarget(ctx context.Context, jobID string, index int, owner string) (JobTarget, error) {
	var c change
	c.require("state", opEqual, string(TargetPending))
	c.set("state", string(TargetRunning))
	c.set("owner", owner)
	return s.updateTarget(ctx, jobID, index, "claiming target", c)
}

// TakeTarget hands a RUNNING target from a stopped runner (from) to owner, once.
func (s *storeCore) TakeTarget(ctx context.Context, jobID string, index int, from, owner string) (JobTarget, error) {
	var c change
	c.require("state", opEqual, string(TargetRunning))
	c.require("owner", opEqual, from)
	c.set("owner", owner)
	return s.updateTarget(ctx, jobID, index, "taking over target", c)
}

// SettleTarget records a RUNNING target's result (DONE, FAILED or SKIPPED) for its
// owner, once; an owner who lost the target gets a *TargetError.
func (s *storeCore) SettleTarget(ctx context.Context, jobID string, index int, owner string, to TargetState, note string) (JobTarget, error) {
	if !to.Final() {
		return JobTarget{}, fmt.Errorf("settling target: %w: state %s", ErrInvalid, to)
	}
	var c change
	c.require("state", opEqual, string(TargetRunning))
	c.require("owner", opEqual, owner)
	c.set("state", string(to))
	c.setIf("note", truncate(note, maxText))
	c.set("finished_at", formatTime(s.opts.clock()))
	return s.updateTarget(ctx, jobID, index, "settling target", c)
}

func (s *storeCore) updateTarget(ctx context.Context, jobID string, index int, what string, c change) (JobTarget, error) {
	key := targetItemKey(jobID, index)
	written, err := s.t.update(ctx, key, c)
	if ccf := conditionFailed(err); ccf != nil {
		old := ccf.Item
		if len(old) == 0 {
			if old, err = s.t.get(ctx, key); err != nil {
				return JobTarget{}, fmt.Errorf("%s: %w", what, unavailable(err))
			}
			if old == nil {
				return JobTarget{}, fmt.Errorf("%s %d of job %q: %w", what, index, jobID, ErrNotFound)
			}
		}
		cur, err := unmarshalTarget(old)
		if err != nil {
			return JobTarget{}, err
		}
		return JobTarget{}, &TargetError{What: what, Current: cur}
	}
	if err != nil {
		return JobTarget{}, fmt.Errorf("%s %d of job %q: %w", what, index, jobID, unavailable(err))
	}
	return unmarshalTarget(written)
}
