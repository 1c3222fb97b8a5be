package state

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
)

// scheduleMoves is the schedule's state machine.
var scheduleMoves = map[audit.State][]audit.State{
	audit.StatePending:   {audit.StateExecuting, audit.StateCancelled},
	audit.StateExecuting: {audit.StateDone, audit.StateFailed},
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
func (s *storeCore) CreateSchedule(ctx context.Context, sc audit.Scheduled) (audit.Scheduled, error) {
	if !sc.Kind.Known() {
		return audit.Scheduled{}, fmt.Errorf("scheduling: %w: kind %q", audit.ErrInvalid, sc.Kind)
	}
	if sc.Action == "" || sc.Requester.UserID == "" || sc.Requester.TeamID == "" || sc.Target.Username == "" {
		return audit.Scheduled{}, fmt.Errorf("scheduling: %w: needs an action, a target and a requester", audit.ErrInvalid)
	}
	if sc.ID == "" {
		sc.ID = audit.NewID()
	}
	if sc.CreatedAt.IsZero() {
		sc.CreatedAt = s.opts.Clock()
	}
	if !sc.RunAt.After(sc.CreatedAt) {
		return audit.Scheduled{}, fmt.Errorf("scheduling: %w: RunAt must be after CreatedAt", audit.ErrInvalid)
	}
	if err := audit.CheckStateParams("scheduling: args", sc.Args); err != nil {
		return audit.Scheduled{}, err
	}
	sc.CreatedAt, sc.RunAt = sc.CreatedAt.UTC(), sc.RunAt.UTC()
	sc.State, sc.Version, sc.Result, sc.DecidedBy, sc.DecidedAt = audit.StatePending, 1, "", audit.Actor{}, time.Time{}
	sc.Args = audit.ExactParams(sc.Args) // the snapshot is sanitized as it is stored
	it, err := table.Marshal(toScheduleItem(sc, s.opts.PendingRetention))
	if err != nil {
		return audit.Scheduled{}, fmt.Errorf("scheduling: %w: %v", audit.ErrInvalid, err)
	}
	err = s.t.Create(ctx, it)
	if table.ConditionFailed(err) != nil {
		return audit.Scheduled{}, fmt.Errorf("scheduling %q: %w", sc.ID, audit.Duplicate(err))
	}
	if err != nil {
		return audit.Scheduled{}, fmt.Errorf("scheduling %q: %w", sc.ID, table.Unavailable(err))
	}
	return unmarshalSchedule(it)
}

// GetSchedule reads one schedule, strongly consistent; an unknown id is ErrNotFound.
func (s *storeCore) GetSchedule(ctx context.Context, id string) (audit.Scheduled, error) {
	if id == "" {
		return audit.Scheduled{}, fmt.Errorf("reading schedule: %w", audit.ErrNotFound)
	}
	it, err := s.t.Get(ctx, scheduleKey(id))
	if err != nil {
		return audit.Scheduled{}, fmt.Errorf("reading schedule %q: %w", id, table.Unavailable(err))
	}
	if it == nil {
		return audit.Scheduled{}, fmt.Errorf("reading schedule %q: %w", id, audit.ErrNotFound)
	}
	return unmarshalSchedule(it)
}

// MoveSchedule moves schedule id from one state to another in one conditional
// update, so a replica's run, an undo and a Cancel click are serialized:
// exactly one wins. Claiming it (PENDING → EXECUTING) also requires it to be
// due. Losers get a *ScheduleConflict matching ErrConflict.
func (s *storeCore) MoveSchedule(ctx context.Context, id string, from, to audit.State, upd audit.ScheduleUpdate) (audit.Scheduled, error) {
	if !slices.Contains(scheduleMoves[from], to) {
		return audit.Scheduled{}, fmt.Errorf("moving schedule %q from %s to %s: %w", id, from, to, audit.ErrInvalidTransition)
	}
	now := s.opts.Clock()
	var c table.Change
	c.Require("state", table.OpEqual, string(from))
	c.Set("state", string(to))
	c.Bump("version")
	if upd.DecidedBy != nil {
		c.Set("decided_by_user_id", upd.DecidedBy.UserID)
		c.Set("decided_by_team_id", upd.DecidedBy.TeamID)
		c.Set("decided_by_name", audit.Truncate(upd.DecidedBy.Name, audit.MaxParamValue))
	}
	if from == audit.StatePending {
		c.Set("decided_at", table.FormatTime(now))
	}
	c.SetIf("result", audit.Truncate(upd.Result, audit.MaxText))
	if to == audit.StateDone || to == audit.StateCancelled {
		// What the snapshot was kept for is over: the user is gone, or restored.
		c.Remove("snapshot")
		c.Remove("groups")
	}
	// It stays in its user's by_job partition in every state (AllSchedulesFor).
	switch to {
	case audit.StateExecuting:
		c.Require("run_at", table.OpAtMost, table.FormatTime(now))
		c.Set(table.AttrDuePK, scheduleRunningPartition)
		c.Set(table.AttrDueAt, table.SortKey(now.Add(s.opts.ExecutingTimeout), id))
	default:
		c.Remove(table.AttrDuePK)
		c.Remove(table.AttrDueAt)
	}
	written, err := s.t.Update(ctx, scheduleKey(id), c)
	if ccf := table.ConditionFailed(err); ccf != nil {
		var cur audit.Scheduled
		var rerr error
		if len(ccf.Item) > 0 {
			cur, rerr = unmarshalSchedule(ccf.Item)
		} else {
			cur, rerr = s.GetSchedule(ctx, id) // absent, or ALL_OLD ignored
		}
		if rerr != nil {
			return audit.Scheduled{}, rerr
		}
		return audit.Scheduled{}, &audit.ScheduleConflict{Current: cur}
	}
	if err != nil {
		return audit.Scheduled{}, fmt.Errorf("moving schedule %q: %w", id, table.Unavailable(err))
	}
	return unmarshalSchedule(written)
}

// DueSchedules returns up to limit waiting schedules due at or before now,
// earliest first. It only finds work; MoveSchedule claims it.
func (s *storeCore) DueSchedules(ctx context.Context, now time.Time, limit int) ([]audit.Scheduled, error) {
	return s.schedules(ctx, schedulePartition, audit.StatePending, table.FormatTime(now.Add(time.Nanosecond)), limit)
}

// StuckSchedules returns up to limit schedules running longer than the
// executing timeout: their bot stopped mid-way.
func (s *storeCore) StuckSchedules(ctx context.Context, now time.Time, limit int) ([]audit.Scheduled, error) {
	return s.schedules(ctx, scheduleRunningPartition, audit.StateExecuting, table.FormatTime(now.Add(time.Nanosecond)), limit)
}

// WaitingSchedules returns every waiting schedule, earliest first, up to
// limit (a few hundred at bot volumes): for the scheduled list, the Home tab
// and the list command's marks.
func (s *storeCore) WaitingSchedules(ctx context.Context, limit int) ([]audit.Scheduled, error) {
	return s.schedules(ctx, schedulePartition, audit.StatePending, "", limit)
}

// SchedulesFor returns the waiting schedules about one user (pool id and sub,
// or username when the sub is unknown), earliest first.
func (s *storeCore) SchedulesFor(ctx context.Context, pool, subOrUsername string) ([]audit.Scheduled, error) {
	return s.query(ctx, table.IndexQuery{Index: table.IndexByJob, PKAttr: table.AttrJobPK, SKAttr: table.AttrJobSK,
		Partition: scheduleTargetKey(pool, subOrUsername), Limit: table.MaxPageSize}, audit.StatePending, table.MaxPageSize)
}

// AllSchedulesFor returns every schedule about one user in any state —
// waiting, running, done, failed or called off (with who did it) — until its
// retention ends, earliest first: a resumed bulk target finds by it whether a
// person undid the deletion it made. Schedules that ended before this version
// kept them under their user are not found.
func (s *storeCore) AllSchedulesFor(ctx context.Context, pool, subOrUsername string) ([]audit.Scheduled, error) {
	return s.query(ctx, table.IndexQuery{Index: table.IndexByJob, PKAttr: table.AttrJobPK, SKAttr: table.AttrJobSK,
		Partition: scheduleTargetKey(pool, subOrUsername), Limit: table.MaxPageSize}, "", table.MaxPageSize)
}

func (s *storeCore) schedules(ctx context.Context, partition string, state audit.State, below string, limit int) ([]audit.Scheduled, error) {
	return s.query(ctx, table.IndexQuery{Index: table.IndexByDue, PKAttr: table.AttrDuePK, SKAttr: table.AttrDueAt,
		Partition: partition, Below: below, Limit: table.PageSize(limit)}, state, max(limit, 1))
}

// query pages through one index partition, keeping items still in state (the
// index may lag in AWS; "" keeps every state), until limit are found.
func (s *storeCore) query(ctx context.Context, q table.IndexQuery, state audit.State, limit int) ([]audit.Scheduled, error) {
	var found []audit.Scheduled
	for {
		items, next, err := s.t.Query(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("listing schedules: %w", table.Unavailable(err))
		}
		for _, it := range items {
			sc, err := unmarshalSchedule(it)
			if errors.Is(err, audit.ErrUnreadable) {
				continue // never acted on; its TTL removes it
			}
			if err != nil {
				return nil, err
			}
			if state == "" || sc.State == state {
				found = append(found, sc)
			}
		}
		if len(next) == 0 || len(found) >= limit {
			return found[:min(len(found), limit)], nil
		}
		q.Start = next
	}
}
