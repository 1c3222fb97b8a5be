package state

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// createParallel bounds the concurrent writes of CreateJob's targets.
const createParallel = 16

// CreateJob stores a DRAFT job and its targets. Targets are written first, so a job
// never exists without them; both get a TTL of the store's pending retention past the
// draft's deadline plus a week, enough for the job to run and be read afterwards.
func (s *storeCore) CreateJob(ctx context.Context, j audit.Job, targets []audit.JobTarget) (audit.Job, error) {
	if j.Action == "" || j.Requester.UserID == "" || j.Requester.TeamID == "" {
		return audit.Job{}, fmt.Errorf("creating job: %w: needs an action and a requester", audit.ErrInvalid)
	}
	if len(targets) == 0 || len(targets) > audit.MaxJobTargets {
		return audit.Job{}, fmt.Errorf("creating job: %w: %d targets (1 to %d)", audit.ErrInvalid, len(targets), audit.MaxJobTargets)
	}
	if j.ID == "" {
		j.ID = audit.NewID()
	}
	now := s.opts.Clock()
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now
	}
	if !j.ExpiresAt.After(j.CreatedAt) {
		return audit.Job{}, fmt.Errorf("creating job: %w: ExpiresAt must be after CreatedAt", audit.ErrInvalid)
	}
	j.State, j.Version, j.Total, j.ToRun = audit.JobDraft, 1, len(targets), 0
	for _, t := range targets {
		if t.State != audit.TargetSkipped {
			j.ToRun++
		}
	}
	j.Owner, j.LeaseUntil = noOwner, epoch
	j.CancelledBy, j.StartedBy = audit.Actor{}, audit.Actor{}
	if err := audit.CheckStateParams("creating job: args", j.Args); err != nil {
		return audit.Job{}, err
	}
	j.Args = audit.ExactParams(j.Args)
	ttl := j.ExpiresAt.Add(s.opts.PendingRetention + 7*24*time.Hour).Truncate(time.Second)
	if err := s.createTargets(ctx, j.ID, targets, ttl); err != nil {
		return audit.Job{}, err
	}
	it, err := table.Marshal(toJobItem(j, ttl))
	if err != nil {
		return audit.Job{}, fmt.Errorf("creating job: %w: %v", audit.ErrInvalid, err)
	}
	if err := s.t.Create(ctx, it); err != nil {
		if table.ConditionFailed(err) != nil {
			return audit.Job{}, fmt.Errorf("creating job %q: %w", j.ID, audit.Duplicate(err))
		}
		return audit.Job{}, fmt.Errorf("creating job %q: %w", j.ID, table.Unavailable(err))
	}
	return unmarshalJob(it)
}

func (s *storeCore) createTargets(ctx context.Context, jobID string, targets []audit.JobTarget, ttl time.Time) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int)
	)
	for range min(createParallel, len(targets)) {
		wg.Go(func() {
			for i := range next {
				t := targets[i]
				t.JobID, t.Index, t.Owner = jobID, i, noOwner
				if t.State == "" {
					t.State = audit.TargetPending
				}
				it, err := table.Marshal(toTargetItem(t, ttl))
				if err == nil {
					err = s.t.Create(ctx, it)
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("creating target %d of job %q: %w", i, jobID, table.Unavailable(err))
						cancel()
					}
					mu.Unlock()
				}
			}
		})
	}
feed:
	for i := range targets {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = fmt.Errorf("creating targets of job %q: %w", jobID, table.Unavailable(ctx.Err()))
	}
	return first
}

// GetJob reads a job with a strongly consistent read.
func (s *storeCore) GetJob(ctx context.Context, id string) (audit.Job, error) {
	if id == "" {
		return audit.Job{}, fmt.Errorf("reading job: %w", audit.ErrNotFound)
	}
	it, err := s.t.Get(ctx, jobKey(id))
	if err != nil {
		return audit.Job{}, fmt.Errorf("reading job %q: %w", id, table.Unavailable(err))
	}
	if it == nil {
		return audit.Job{}, fmt.Errorf("reading job %q: %w", id, audit.ErrNotFound)
	}
	return unmarshalJob(it)
}

// StartJob moves a confirmed draft to RUNNING, once: of two clicks (or an approval and
// an expiry) exactly one wins; the others get a *JobError. The job is due for any
// replica to acquire once the start hold (audit.WithStartHold) has passed: were it due
// at once, a poll could run a small job to its end before its starter recorded the
// progress message, and the final update would have nowhere to go. Its starter
// acquires it before.
func (s *storeCore) StartJob(ctx context.Context, id string, by audit.Actor) (audit.Job, error) {
	now := s.opts.Clock()
	var c table.Change
	c.Require("state", table.OpEqual, string(audit.JobDraft))
	c.Require("expires_at", table.OpGreater, table.FormatTime(now))
	c.Set("state", string(audit.JobRunning))
	c.Set("started_by_user_id", by.UserID)
	c.Set("started_by_team_id", by.TeamID)
	c.Set("started_by_name", audit.Truncate(by.Name, audit.MaxParamValue))
	c.Set(table.AttrDuePK, jobLeasePartition)
	c.Set(table.AttrDueAt, table.SortKey(now.Add(s.opts.StartHold), id))
	c.Bump("version")
	return s.updateJob(ctx, id, "starting job", c)
}

// DiscardJob closes a draft nobody will confirm.
func (s *storeCore) DiscardJob(ctx context.Context, id string, by audit.Actor) (audit.Job, error) {
	var c table.Change
	c.Require("state", table.OpEqual, string(audit.JobDraft))
	c.Set("state", string(audit.JobDiscarded))
	c.Set("cancelled_by_user_id", by.UserID)
	c.Set("cancelled_by_team_id", by.TeamID)
	c.Set("cancelled_by_name", audit.Truncate(by.Name, audit.MaxParamValue))
	c.Set("cancelled_at", table.FormatTime(s.opts.Clock()))
	c.Bump("version")
	return s.updateJob(ctx, id, "discarding job", c)
}

// AcquireJob gives owner the lease of a running job for lease: it renews owner's own
// lease, or takes the job over when the lease has run out (its runner stopped). At any
// moment at most one owner holds an unexpired lease; a lost race returns a *JobError
// naming the holder. The returned job carries the cancel request, if any, so the
// heartbeat is also how a runner learns it was cancelled.
func (s *storeCore) AcquireJob(ctx context.Context, id, owner string, lease time.Duration) (audit.Job, error) {
	if owner == "" || owner == noOwner || lease <= 0 {
		return audit.Job{}, fmt.Errorf("acquiring job %q: %w: needs an owner and a lease", id, audit.ErrInvalid)
	}
	now := s.opts.Clock()
	until := now.Add(lease)
	build := func(ownerCheck func(*table.Change)) table.Change {
		var c table.Change
		c.Require("state", table.OpEqual, string(audit.JobRunning))
		ownerCheck(&c)
		c.Set("owner", owner)
		c.Set("lease_until", table.FormatTime(until))
		c.Set(table.AttrDueAt, table.SortKey(until, id))
		c.Bump("version")
		return c
	}
	// Renewing one's own lease (even a lapsed one nobody took) or taking an expired
	// one are two conditions; DynamoDB's conditions here are conjunctions, so each
	// is its own conditional write and both are atomic.
	j, err := s.updateJob(ctx, id, "renewing lease", build(func(c *table.Change) { c.Require("owner", table.OpEqual, owner) }))
	if !errors.Is(err, audit.ErrConflict) {
		return j, err
	}
	return s.updateJob(ctx, id, "taking over job", build(func(c *table.Change) { c.Require("lease_until", table.OpAtMost, table.FormatTime(now)) }))
}

// CancelJob records that by asked to stop a running job. The runner stops between
// targets at its next heartbeat. Asking twice keeps the first canceller.
func (s *storeCore) CancelJob(ctx context.Context, id string, by audit.Actor) (audit.Job, error) {
	var c table.Change
	c.Require("state", table.OpEqual, string(audit.JobRunning))
	c.Require("cancelled_by_user_id", table.OpEqual, "")
	c.Set("cancelled_by_user_id", by.UserID)
	c.Set("cancelled_by_team_id", by.TeamID)
	c.Set("cancelled_by_name", audit.Truncate(by.Name, audit.MaxParamValue))
	c.Set("cancelled_at", table.FormatTime(s.opts.Clock()))
	c.Bump("version")
	return s.updateJob(ctx, id, "cancelling job", c)
}

// SetJobMessage records where the job's progress message is.
func (s *storeCore) SetJobMessage(ctx context.Context, id, channel, ts string) error {
	var c table.Change
	c.Set("message_channel", channel)
	c.Set("message_ts", ts)
	_, err := s.updateJob(ctx, id, "recording progress message", c)
	return err
}

// FinishJob closes a running job held by owner as FINISHED or CANCELLED, once, and
// takes it off the lease index. A runner that lost its lease gets a *JobError.
func (s *storeCore) FinishJob(ctx context.Context, id, owner string, to audit.JobState, summary string) (audit.Job, error) {
	if to != audit.JobFinished && to != audit.JobCancelled {
		return audit.Job{}, fmt.Errorf("finishing job %q: %w: state %s", id, audit.ErrInvalid, to)
	}
	var c table.Change
	c.Require("state", table.OpEqual, string(audit.JobRunning))
	c.Require("owner", table.OpEqual, owner)
	c.Set("state", string(to))
	c.Set("finished_at", table.FormatTime(s.opts.Clock()))
	c.SetIf("summary", audit.Truncate(summary, audit.MaxText))
	c.Remove(table.AttrDuePK)
	c.Remove(table.AttrDueAt)
	c.Bump("version")
	return s.updateJob(ctx, id, "finishing job", c)
}

// JobsToRun lists up to limit running jobs whose lease has run out at now (never
// acquired, or their runner stopped), oldest lease first.
func (s *storeCore) JobsToRun(ctx context.Context, now time.Time, limit int) ([]audit.Job, error) {
	if limit <= 0 {
		limit = 25
	}
	items, _, err := s.t.Query(ctx, table.IndexQuery{Index: table.IndexByDue, PKAttr: table.AttrDuePK, SKAttr: table.AttrDueAt,
		Partition: jobLeasePartition, Below: table.SortKey(now.UTC(), ""), Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("listing jobs to run: %w", table.Unavailable(err))
	}
	out := make([]audit.Job, 0, len(items))
	for _, it := range items {
		j, err := unmarshalJob(it)
		if err != nil {
			return nil, err
		}
		if j.State == audit.JobRunning {
			out = append(out, j)
		}
	}
	return out, nil
}

func (s *storeCore) updateJob(ctx context.Context, id, what string, c table.Change) (audit.Job, error) {
	if id == "" {
		return audit.Job{}, fmt.Errorf("%s: %w", what, audit.ErrNotFound)
	}
	written, err := s.t.Update(ctx, jobKey(id), c)
	if ccf := table.ConditionFailed(err); ccf != nil {
		old := ccf.Item
		if len(old) == 0 {
			if old, err = s.t.Get(ctx, jobKey(id)); err != nil {
				return audit.Job{}, fmt.Errorf("%s %q: %w", what, id, table.Unavailable(err))
			}
			if old == nil {
				return audit.Job{}, fmt.Errorf("%s %q: %w", what, id, audit.ErrNotFound)
			}
		}
		cur, err := unmarshalJob(old)
		if err != nil {
			return audit.Job{}, err
		}
		return audit.Job{}, &audit.JobError{What: what, Current: cur}
	}
	if err != nil {
		return audit.Job{}, fmt.Errorf("%s %q: %w", what, id, table.Unavailable(err))
	}
	return unmarshalJob(written)
}
