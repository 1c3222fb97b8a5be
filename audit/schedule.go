package audit

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// scheduleMoves is the schedule's state machine.
var scheduleMoves = map[State][]State{
	StatePending:   {StateExecuting, StateCancelled},
	StateExecuting: {StateDone, StateFailed},
}

// Partitions of the by_due index that scheduled actions use.
const (
	// schedulePartition holds waiting schedules, keyed by when they are due.
	schedulePartition = "SCHEDULED"
	// scheduleRunningPartition holds running ones, keyed by when they count as stuck.
	scheduleRunningPartition = "SCHEDULE_RUNNING"
)

// CreateSchedule stores s as a new waiting schedule and returns it as stored.
// It assigns an ID when empty and stamps CreatedAt; RunAt must be after it.
func (s *storeCore) CreateSchedule(ctx context.Context, sc Scheduled) (Scheduled, error) {
	if sc.Kind != ScheduleHardDelete && sc.Kind != ScheduleAction {
		return Scheduled{}, fmt.Errorf("scheduling: %w: kind %q", ErrInvalid, sc.Kind)
	}
	if sc.Action == "" || sc.Requester.UserID == "" || sc.Requester.TeamID == "" || sc.Target.Username == "" {
		return Scheduled{}, fmt.Errorf("scheduling: %w: needs an action, a target and a requester", ErrInvalid)
	}
	if sc.ID == "" {
		sc.ID = NewID()
	}
	if sc.CreatedAt.IsZero() {
		sc.CreatedAt = s.opts.clock()
	}
	if !sc.RunAt.After(sc.CreatedAt) {
		return Scheduled{}, fmt.Errorf("scheduling: %w: RunAt must be after CreatedAt", ErrInvalid)
	}
	if err := checkStateParams("scheduling: args", sc.Args); err != nil {
		return Scheduled{}, err
	}
	sc.CreatedAt, sc.RunAt = sc.CreatedAt.UTC(), sc.RunAt.UTC()
	sc.State, sc.Version, sc.Result, sc.DecidedBy, sc.DecidedAt = StatePending, 1, "", Actor{}, time.Time{}
	sc.Args, sc.Snapshot = exactParams(sc.Args), sanitizeParams(sc.Snapshot)
	it, err := marshal(toScheduleItem(sc, s.opts.pendingRetention))
	if err != nil {
		return Scheduled{}, fmt.Errorf("scheduling: %w: %v", ErrInvalid, err)
	}
	err = s.t.create(ctx, it)
	if conditionFailed(err) != nil {
		return Scheduled{}, fmt.Errorf("scheduling %q: %w", sc.ID, duplicate(err))
	}
	if err != nil {
		return Scheduled{}, fmt.Errorf("scheduling %q: %w", sc.ID, unavailable(err))
	}
	return unmarshalSchedule(it)
}

// GetSchedule reads one schedule, strongly consistent; an unknown id is ErrNotFound.
func (s *storeCore) GetSchedule(ctx context.Context, id string) (Scheduled, error) {
	if id == "" {
		return Scheduled{}, fmt.Errorf("reading schedule: %w", ErrNotFound)
	}
	it, err := s.t.get(ctx, scheduleKey(id))
	if err != nil {
		return Scheduled{}, fmt.Errorf("reading schedule %q: %w", id, unavailable(err))
	}
	if it == nil {
		return Scheduled{}, fmt.Errorf("reading schedule %q: %w", id, ErrNotFound)
	}
	return unmarshalSchedule(it)
}

// MoveSchedule moves schedule id from one state to another in one conditional
// update, so a replica's run, an undo and a Cancel click are serialized:
// exactly one wins. Claiming it (PENDING → EXECUTING) also requires it to be
// due. Losers get a *ScheduleConflict matching ErrConflict.
func (s *storeCore) MoveSchedule(ctx context.Context, id string, from, to State, upd ScheduleUpdate) (Scheduled, error) {
	if !slices.Contains(scheduleMoves[from], to) {
		return Scheduled{}, fmt.Errorf("moving schedule %q from %s to %s: %w", id, from, to, ErrInvalidTransition)
	}
	now := s.opts.clock()
	var c change
	c.require("state", opEqual, string(from))
	c.set("state", string(to))
	c.bump("version")
	if upd.DecidedBy != nil {
		c.set("decided_by_user_id", upd.DecidedBy.UserID)
		c.set("decided_by_team_id", upd.DecidedBy.TeamID)
		c.set("decided_by_name", truncate(upd.DecidedBy.Name, maxParamValue))
	}
	if from == StatePending {
		c.set("decided_at", formatTime(now))
	}
	c.setIf("result", truncate(upd.Result, maxText))
	if to == StateDone || to == StateCancelled {
		// What the snapshot was kept for is over: the user is gone, or restored.
		c.remove("snapshot")
		c.remove("groups")
	}
	switch to {
	case StateExecuting:
		c.require("run_at", opAtMost, formatTime(now))
		c.set(attrDuePK, scheduleRunningPartition)
		c.set(attrDueAt, sortKey(now.Add(s.opts.executingTimeout), id))
		c.remove(attrJobPK)
		c.remove(attrJobSK)
	default:
		c.remove(attrDuePK)
		c.remove(attrDueAt)
		c.remove(attrJobPK)
		c.remove(attrJobSK)
	}
	written, err := s.t.update(ctx, scheduleKey(id), c)
	if ccf := conditionFailed(err); ccf != nil {
		var cur Scheduled
		var rerr error
		if len(ccf.Item) > 0 {
			cur, rerr = unmarshalSchedule(ccf.Item)
		} else {
			cur, rerr = s.GetSchedule(ctx, id) // absent, or ALL_OLD ignored
		}
		if rerr != nil {
			return Scheduled{}, rerr
		}
		return Scheduled{}, &ScheduleConflict{Current: cur}
	}
	if err != nil {
		return Scheduled{}, fmt.Errorf("moving schedule %q: %w", id, unavailable(err))
	}
	return unmarshalSchedule(written)
}

// DueSchedules returns up to limit waiting schedules due at or before now,
// earliest first. It only finds work; MoveSchedule claims it.
func (s *storeCore) DueSchedules(ctx context.Context, now time.Time, limit int) ([]Scheduled, error) {
	return s.schedules(ctx, schedulePartition, StatePending, formatTime(now.Add(time.Nanosecond)), limit)
}

// StuckSchedules returns up to limit schedules running longer than the
// executing timeout: their bot stopped mid-way.
func (s *storeCore) StuckSchedules(ctx context.Context, now time.Time, limit int) ([]Scheduled, error) {
	return s.schedules(ctx, scheduleRunningPartition, StateExecuting, formatTime(now.Add(time.Nanosecond)), limit)
}

// WaitingSchedules returns every waiting schedule, earliest first, up to
// limit (a few hundred at bot volumes): for the scheduled list, the Home tab
// and the list command's marks.
func (s *storeCore) WaitingSchedules(ctx context.Context, limit int) ([]Scheduled, error) {
	return s.schedules(ctx, schedulePartition, StatePending, "", limit)
}

// SchedulesFor returns the waiting schedules about one user (pool id and sub,
// or username when the sub is unknown), earliest first.
func (s *storeCore) SchedulesFor(ctx context.Context, pool, subOrUsername string) ([]Scheduled, error) {
	return s.query(ctx, indexQuery{index: indexByJob, pkAttr: attrJobPK, skAttr: attrJobSK,
		partition: scheduleTargetKey(pool, subOrUsername), limit: maxPageSize}, StatePending, maxPageSize)
}

func (s *storeCore) schedules(ctx context.Context, partition string, state State, below string, limit int) ([]Scheduled, error) {
	return s.query(ctx, indexQuery{index: indexByDue, pkAttr: attrDuePK, skAttr: attrDueAt,
		partition: partition, below: below, limit: pageSize(limit)}, state, max(limit, 1))
}

// query pages through one index partition, keeping items still in state (the
// index may lag in AWS), until limit are found.
func (s *storeCore) query(ctx context.Context, q indexQuery, state State, limit int) ([]Scheduled, error) {
	var found []Scheduled
	for {
		items, next, err := s.t.query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("listing schedules: %w", unavailable(err))
		}
		for _, it := range items {
			sc, err := unmarshalSchedule(it)
			if err != nil {
				return nil, err
			}
			if sc.State == state {
				found = append(found, sc)
			}
		}
		if len(next) == 0 || len(found) >= limit {
			return found[:min(len(found), limit)], nil
		}
		q.start = next
	}
}
