package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// createParallel bounds the concurrent writes of CreateJob's targets.
const createParallel = 16

// CreateJob stores a DRAFT job and its targets. Targets are written first, so a job
// never exists without them; both get a TTL of the store's pending retention past the
// draft's deadline plus a week, enough for the job to run and be read afterwards.
func (s *storeCore) CreateJob(ctx context.Context, j Job, targets []JobTarget) (Job, error) {
	if j.Action == "" || j.Requester.UserID == "" || j.Requester.TeamID == "" {
		return Job{}, fmt.Errorf("creating job: %w: needs an action and a requester", ErrInvalid)
	}
	if len(targets) == 0 || len(targets) > MaxJobTargets {
		return Job{}, fmt.Errorf("creating job: %w: %d targets (1 to %d)", ErrInvalid, len(targets), MaxJobTargets)
	}
	if j.ID == "" {
		j.ID = NewID()
	}
	now := s.opts.clock()
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now
	}
	if !j.ExpiresAt.After(j.CreatedAt) {
		return Job{}, fmt.Errorf("creating job: %w: ExpiresAt must be after CreatedAt", ErrInvalid)
	}
	j.State, j.Version, j.Total, j.ToRun = JobDraft, 1, len(targets), 0
	for _, t := range targets {
		if t.State != TargetSkipped {
			j.ToRun++
		}
	}
	j.Owner, j.LeaseUntil = noOwner, epoch
	j.CancelledBy, j.StartedBy = Actor{}, Actor{}
	if err := checkStateParams("creating job: args", j.Args); err != nil {
		return Job{}, err
	}
	j.Args = exactParams(j.Args)
	ttl := j.ExpiresAt.Add(s.opts.pendingRetention + 7*24*time.Hour).Truncate(time.Second)
	if err := s.createTargets(ctx, j.ID, targets, ttl); err != nil {
		return Job{}, err
	}
	it, err := marshal(toJobItem(j, ttl))
	if err != nil {
		return Job{}, fmt.Errorf("creating job: %w: %v", ErrInvalid, err)
	}
	if err := s.t.create(ctx, it); err != nil {
		if conditionFailed(err) != nil {
			return Job{}, fmt.Errorf("creating job %q: %w", j.ID, duplicate(err))
		}
		return Job{}, fmt.Errorf("creating job %q: %w", j.ID, unavailable(err))
	}
	return unmarshalJob(it)
}

func (s *storeCore) createTargets(ctx context.Context, jobID string, targets []JobTarget, ttl time.Time) error {
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
					t.State = TargetPending
				}
				it, err := marshal(toTargetItem(t, ttl))
				if err == nil {
					err = s.t.create(ctx, it)
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("creating target %d of job %q: %w", i, jobID, unavailable(err))
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
		first = fmt.Errorf("creating targets of job %q: %w", jobID, unavailable(ctx.Err()))
	}
	return first
}

// GetJob reads a job with a strongly consistent read.
func (s *storeCore) GetJob(ctx context.Context, id string) (Job, error) {
	if id == "" {
		return Job{}, fmt.Errorf("reading job: %w", ErrNotFound)
	}
	it, err := s.t.get(ctx, jobKey(id))
	if err != nil {
		return Job{}, fmt.Errorf("reading job %q: %w", id, unavailable(err))
	}
	if it == nil {
		return Job{}, fmt.Errorf("reading job %q: %w", id, ErrNotFound)
	}
	return unmarshalJob(it)
}

// StartJob moves a confirmed draft to RUNNING, once: of two clicks (or an approval and
// an expiry) exactly one wins; the others get a *JobError. The job is then due for any
// replica to acquire.
func (s *storeCore) StartJob(ctx context.Context, id string, by Actor) (Job, error) {
	now := s.opts.clock()
	var c change
	c.require("state", opEqual, string(JobDraft))
	c.require("expires_at", opGreater, formatTime(now))
	c.set("state", string(JobRunning))
	c.set("started_by_user_id", by.UserID)
	c.set("started_by_team_id", by.TeamID)
	c.set("started_by_name", truncate(by.Name, maxParamValue))
	c.set(attrDuePK, jobLeasePartition)
	c.set(attrDueAt, sortKey(epoch, id))
	c.bump("version")
	return s.updateJob(ctx, id, "starting job", c)
}

// DiscardJob closes a draft nobody will confirm.
func (s *storeCore) DiscardJob(ctx context.Context, id string, by Actor) (Job, error) {
	var c change
	c.require("state", opEqual, string(JobDraft))
	c.set("state", string(JobDiscarded))
	c.set("cancelled_by_user_id", by.UserID)
	c.set("cancelled_by_team_id", by.TeamID)
	c.set("cancelled_by_name", truncate(by.Name, maxParamValue))
	c.set("cancelled_at", formatTime(s.opts.clock()))
	c.bump("version")
	return s.updateJob(ctx, id, "discarding job", c)
}

// AcquireJob gives owner the lease of a running job for lease: it renews owner's own
// lease, or takes the job over when the lease has run out (its runner stopped). At any
// moment at most one owner holds an unexpired lease; a lost race returns a *JobError
// naming the holder. The returned job carries the cancel request, if any, so the
// heartbeat is also how a runner learns it was cancelled.
func (s *storeCore) AcquireJob(ctx context.Context, id, owner string, lease time.Duration) (Job, error) {
	if owner == "" || owner == noOwner || lease <= 0 {
		return Job{}, fmt.Errorf("acquiring job %q: %w: needs an owner and a lease", id, ErrInvalid)
	}
	now := s.opts.clock()
	until := now.Add(lease)
	build := func(ownerCheck func(*change)) change {
		var c change
		c.require("state", opEqual, string(JobRunning))
		ownerCheck(&c)
		c.set("owner", owner)
		c.set("lease_until", formatTime(until))
		c.set(attrDueAt, sortKey(until, id))
		c.bump("version")
		return c
	}
	// Renewing one's own lease (even a lapsed one nobody took) or taking an expired
	// one are two conditions; DynamoDB's conditions here are conjunctions, so each
	// is its own conditional write and both are atomic.
	j, err := s.updateJob(ctx, id, "renewing lease", build(func(c *change) { c.require("owner", opEqual, owner) }))
	if !errors.Is(err, ErrConflict) {
		return j, err
	}
	return s.updateJob(ctx, id, "taking over job", build(func(c *change) { c.require("lease_until", opAtMost, formatTime(now)) }))
}

// CancelJob records that by asked to stop a running job. The runner stops between
// targets at its next heartbeat. Asking twice keeps the first canceller.
func (s *storeCore) CancelJob(ctx context.Context, id string, by Actor) (Job, error) {
	var c change
	c.require("state", opEqual, string(JobRunning))
	c.require("cancelled_by_user_id", opEqual, "")
	c.set("cancelled_by_user_id", by.UserID)
	c.set("cancelled_by_team_id", by.TeamID)
	c.set("cancelled_by_name", truncate(by.Name, maxParamValue))
	c.set("cancelled_at", formatTime(s.opts.clock()))
	c.bump("version")
	return s.updateJob(ctx, id, "cancelling job", c)
}

// SetJobMessage records where the job's progress message is.
func (s *storeCore) SetJobMessage(ctx context.Context, id, channel, ts string) error {
	var c change
	c.set("message_channel", channel)
	c.set("message_ts", ts)
	_, err := s.updateJob(ctx, id, "recording progress message", c)
	return err
}

// FinishJob closes a running job held by owner as FINISHED or CANCELLED, once, and
// takes it off the lease index. A runner that lost its lease gets a *JobError.
func (s *storeCore) FinishJob(ctx context.Context, id, owner string, to JobState, summary string) (Job, error) {
	if to != JobFinished && to != JobCancelled {
		return Job{}, fmt.Errorf("finishing job %q: %w: state %s", id, ErrInvalid, to)
	}
	var c change
	c.require("state", opEqual, string(JobRunning))
	c.require("owner", opEqual, owner)
	c.set("state", string(to))
	c.set("finished_at", formatTime(s.opts.clock()))
	c.setIf("summary", truncate(summary, maxText))
	c.remove(attrDuePK)
	c.remove(attrDueAt)
	c.bump("version")
	return s.updateJob(ctx, id, "finishing job", c)
}

// JobsToRun lists up to limit running jobs whose lease has run out at now (never
// acquired, or their runner stopped), oldest lease first.
func (s *storeCore) JobsToRun(ctx context.Context, now time.Time, limit int) ([]Job, error) {
	if limit <= 0 {
		limit = 25
	}
	items, _, err := s.t.query(ctx, indexQuery{index: indexByDue, pkAttr: attrDuePK, skAttr: attrDueAt,
		partition: jobLeasePartition, below: sortKey(now.UTC(), ""), limit: limit})
	if err != nil {
		return nil, fmt.Errorf("listing jobs to run: %w", unavailable(err))
	}
	out := make([]Job, 0, len(items))
	for _, it := range items {
		j, err := unmarshalJob(it)
		if err != nil {
			return nil, err
		}
		if j.State == JobRunning {
			out = append(out, j)
		}
	}
	return out, nil
}

func (s *storeCore) updateJob(ctx context.Context, id, what string, c change) (Job, error) {
	if id == "" {
		return Job{}, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	written, err := s.t.update(ctx, jobKey(id), c)
	if ccf := conditionFailed(err); ccf != nil {
		old := ccf.Item
		if len(old) == 0 {
			if old, err = s.t.get(ctx, jobKey(id)); err != nil {
				return Job{}, fmt.Errorf("%s %q: %w", what, id, unavailable(err))
			}
			if old == nil {
				return Job{}, fmt.Errorf("%s %q: %w", what, id, ErrNotFound)
			}
		}
		cur, err := unmarshalJob(old)
		if err != nil {
			return Job{}, err
		}
		return Job{}, &JobError{What: what, Current: cur}
	}
	if err != nil {
		return Job{}, fmt.Errorf("%s %q: %w", what, id, unavailable(err))
	}
	return unmarshalJob(written)
}
