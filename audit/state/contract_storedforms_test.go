package state

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// The items below are written as the version before typed fields wrote them
// (attribute names and maps spelled out, not through this version's item
// types), straight through the table: an upgrade must read what is already
// stored, on both backends.

// putRaw stores item as it is.
func putRaw(t *testing.T, s *storeCore, item map[string]any) {
	t.Helper()
	av, err := attributevalue.MarshalMap(item)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.t.Create(ctxT(t), av); err != nil {
		t.Fatalf("writing the stored item: %v", err)
	}
}

// previousPending is a pending action as the previous version stored it: the
// pool's name (and a job approval's job id) inside params, the snapshot a map.
func previousPending(id string, now time.Time, kind, action string, params, snapshot map[string]string) map[string]any {
	expires := now.Add(15 * time.Minute)
	item := map[string]any{
		"pk": table.PendingKey(id), "id": id, "kind": kind, "action": action,
		"target_pool": "us-east-1_p", "target_username": "dave", "target_sub": "sub-d",
		"params": params, "reason": "ticket 7", "requester_user_id": "UREQ", "requester_team_id": "T1",
		"channel": "C9", "state": "PENDING", "created_at": table.FormatTime(now), "expires_at": table.FormatTime(expires),
		"version": 1, "due_pk": table.DuePartition, "due_at": table.SortKey(expires, id),
	}
	if snapshot != nil {
		item["snapshot"] = snapshot
	}
	return item
}

func TestPendingStoredByThePreviousVersionLoads(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, ownStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
		s := open(audit.WithClock(clock.Now))
		ctx := ctxT(t)
		single, job := uid("old-single"), uid("old-job")
		putRaw(t, s, previousPending(single, clock.Now(), "approval", "disable",
			map[string]string{"pool_name": "prod", "arg.group": "staff", "old.email": "d@example.com"},
			map[string]string{"sub": "sub-d", "status": "CONFIRMED", "enabled": "false", "email": "d@example.com", "groups": "admins,staff"}))
		putRaw(t, s, previousPending(job, clock.Now(), "approval", "bulk",
			map[string]string{"pool_name": "prod", "job": "J42", "action": "disable", "count": "3", "first": "a\nb"}, nil))

		p, err := s.Get(ctx, single)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		wantSnap := &audit.TargetSnapshot{Sub: "sub-d", Status: "CONFIRMED", Enabled: false, Email: "d@example.com", Groups: []string{"admins", "staff"}}
		if p.Kind != audit.KindApproval || p.Action != actions.Disable || p.Pool != "prod" || p.Job != "" ||
			!reflect.DeepEqual(p.Params, map[string]string{"arg.group": "staff"}) ||
			!reflect.DeepEqual(p.Old, map[string]string{"email": "d@example.com"}) || p.JobApproval != nil ||
			!reflect.DeepEqual(p.Snapshot, wantSnap) {
			t.Errorf("the previous version's pending action reads as %+v (snapshot %+v)", p, p.Snapshot)
		}
		j, err := s.Get(ctx, job)
		if err != nil || j.Action != actions.Bulk || j.Pool != "prod" || j.Job != "J42" || j.Snapshot != nil || len(j.Params) != 0 ||
			!reflect.DeepEqual(j.JobApproval, &audit.JobApproval{Action: actions.Disable, Count: 3, First: []string{"a", "b"}}) {
			t.Errorf("the previous version's job approval reads as %+v, %v", j, err)
		}

		// It moves on like any other, and keeps its pool and job.
		moved, err := s.Transition(ctx, single, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &audit.Actor{UserID: "UAPP", TeamID: "T1"}})
		if err != nil || moved.Pool != "prod" || !reflect.DeepEqual(moved.Snapshot, wantSnap) {
			t.Errorf("Transition of the previous version's item = %+v, %v", moved, err)
		}
		clock.Advance(time.Hour)
		due, err := s.DueForExpiry(ctx, clock.Now(), 10)
		if err != nil || len(due) != 1 || due[0].ID != job || due[0].Job != "J42" {
			t.Errorf("DueForExpiry = %+v, %v; want the job approval, as stored by the previous version", due, err)
		}
	})
}

func TestJobStoredByThePreviousVersionLoads(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		s := open()
		id := uid("old-job")
		now := time.Now().UTC()
		putRaw(t, s, map[string]any{
			"pk": jobKey(id), "id": id, "action": "add-to-group", "pool": "prod", "pool_id": "us-east-1_p",
			"args": map[string]string{"group": "staff"}, "requester_user_id": "UREQ", "requester_team_id": "T1",
			"channel": "C1", "state": "DRAFT", "total": 2, "to_run": 2,
			"created_at": table.FormatTime(now), "expires_at": table.FormatTime(now.Add(time.Hour)),
			"owner": noOwner, "lease_until": table.FormatTime(epoch), "cancelled_by_user_id": "", "version": 1,
		})
		j, err := s.GetJob(ctxT(t), id)
		if err != nil || j.Action != actions.AddToGroup || j.Pool != "prod" || j.PoolID != "us-east-1_p" || j.Args["group"] != "staff" ||
			j.State != audit.JobDraft || j.ToRun != 2 {
			t.Errorf("the previous version's job reads as %+v, %v", j, err)
		}
	})
}

// previousSchedule is a schedule as the previous version stored it.
func previousSchedule(id, sub string, now time.Time, kind string, snapshot map[string]string) map[string]any {
	runAt := now.Add(72 * time.Hour)
	return map[string]any{
		"pk": scheduleKey(id), "id": id, "kind": kind, "action": "delete",
		"target_pool": "us-east-1_p", "target_username": "dave", "target_sub": sub, "pool_name": "prod",
		"requester_user_id": "UREQ", "requester_team_id": "T1", "channel": "C9", "request_id": "exec#P1",
		"run_at": table.FormatTime(runAt), "created_at": table.FormatTime(now), "state": "PENDING",
		"snapshot": snapshot, "groups": []string{"staff"}, "version": 1,
		"due_pk": schedulePartition, "due_at": table.SortKey(runAt, id),
		"job_pk": scheduleTargetKey("us-east-1_p", sub), "job_sk": table.SortKey(runAt, id),
	}
}

func TestScheduleStoredByThePreviousVersionLoads(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		s := open()
		ctx := ctxT(t)
		now := time.Now().UTC().Truncate(time.Second)
		disabled, sub := uid("old-sched"), uid("sub")
		putRaw(t, s, previousSchedule(disabled, sub, now, "hard-delete", map[string]string{"enabled": "false", "status": "CONFIRMED",
			"preferred_mfa": "SOFTWARE_TOKEN_MFA", "mfa": "SOFTWARE_TOKEN_MFA,SMS_MFA", "attr.email": "d@example.com"}))
		sc, err := s.GetSchedule(ctx, disabled)
		want := &audit.DeletionSnapshot{Enabled: false, Status: "CONFIRMED", PreferredMFA: "SOFTWARE_TOKEN_MFA",
			MFA: []string{"SOFTWARE_TOKEN_MFA", "SMS_MFA"}, Attributes: map[string]string{"email": "d@example.com"}}
		if err != nil || sc.Kind != audit.ScheduleHardDelete || sc.Action != actions.Delete || sc.PoolName != "prod" ||
			!reflect.DeepEqual(sc.Snapshot, want) || !reflect.DeepEqual(sc.Groups, []string{"staff"}) {
			t.Errorf("the previous version's schedule reads as %+v (snapshot %+v), %v", sc, sc.Snapshot, err)
		}
		// A snapshot without the enabled flag was restored as enabled.
		bare, sub2 := uid("old-sched"), uid("sub")
		putRaw(t, s, previousSchedule(bare, sub2, now, "at", map[string]string{"status": "CONFIRMED"}))
		waiting, err := s.SchedulesFor(ctx, "us-east-1_p", sub2)
		if err != nil || len(waiting) != 1 || waiting[0].Kind != audit.ScheduleAction || waiting[0].Snapshot == nil || !waiting[0].Snapshot.Enabled {
			t.Errorf("SchedulesFor = %+v, %v; want the schedule, its user restored as enabled", waiting, err)
		}
	})
}

// An item that cannot be mapped to the typed fields is refused with
// ErrUnreadable (the bot says so in a sentence), never read as something else,
// and lists skip it rather than fail for everything else.
func TestStoredItemsThatCannotBeMappedAreRefused(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, ownStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		clock := newFakeClock(time.Now().UTC().Truncate(time.Second))
		s := open(audit.WithClock(clock.Now))
		ctx := ctxT(t)
		unknownKind, badSnapshot, twoPools, fine := uid("kind"), uid("snap"), uid("pools"), uid("fine")
		putRaw(t, s, previousPending(unknownKind, clock.Now(), "later", "disable", map[string]string{"pool_name": "prod"}, nil))
		putRaw(t, s, previousPending(badSnapshot, clock.Now(), "approval", "disable", map[string]string{"pool_name": "prod"},
			map[string]string{"sub": "sub-d", "status": "CONFIRMED", "enabled": "maybe"}))
		badCount := uid("count")
		putRaw(t, s, previousPending(badCount, clock.Now(), "approval", "bulk", map[string]string{"pool_name": "prod", "job": "J1", "action": "disable", "count": "many"}, nil))
		twice := previousPending(twoPools, clock.Now(), "confirm", "disable", map[string]string{"pool_name": "prod"}, nil)
		twice["pool_name"] = "staging"
		putRaw(t, s, twice)
		putRaw(t, s, previousPending(fine, clock.Now(), "confirm", "disable", map[string]string{"pool_name": "prod"}, nil))
		for _, id := range []string{unknownKind, badSnapshot, twoPools, badCount} {
			if p, err := s.Get(ctx, id); !errors.Is(err, audit.ErrUnreadable) {
				t.Errorf("Get(%s) = %+v, %v; want ErrUnreadable", id, p, err)
			}
		}
		if waiting, err := s.WaitingPending(ctx, 10); err != nil || len(waiting) != 1 || waiting[0].ID != fine {
			t.Errorf("WaitingPending = %+v, %v; want only the readable one", waiting, err)
		}
		clock.Advance(time.Hour)
		if due, err := s.DueForExpiry(ctx, clock.Now(), 10); err != nil || len(due) != 1 || due[0].ID != fine {
			t.Errorf("DueForExpiry = %+v, %v; want only the readable one", due, err)
		}

		sub := uid("sub")
		odd := uid("sched")
		putRaw(t, s, previousSchedule(odd, sub, clock.Now(), "someday", map[string]string{"enabled": "true"}))
		if _, err := s.GetSchedule(ctx, odd); !errors.Is(err, audit.ErrUnreadable) {
			t.Errorf("GetSchedule of an unknown kind: %v; want ErrUnreadable", err)
		}
		if waiting, err := s.SchedulesFor(ctx, "us-east-1_p", sub); err != nil || len(waiting) != 0 {
			t.Errorf("SchedulesFor = %+v, %v; want the unreadable schedule skipped", waiting, err)
		}
	})
}

// What this version writes reads back as it was: the typed fields survive
// their stored form (the pool and job id as attributes, the rest in params).
func TestPendingTypedFieldsRoundTrip(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		s := open()
		ctx := ctxT(t)
		edit := samplePending(time.Now())
		edit.Action, edit.Pool, edit.Old = actions.Edit, "prod", map[string]string{"email": "old@example.com"}
		edit.Params = map[string]string{"arg.attr:email": "new@example.com"}
		job := samplePending(time.Now())
		job.Action, job.Pool, job.Job, job.Snapshot = actions.Bulk, "prod", uid("job"), nil
		job.JobApproval = &audit.JobApproval{Action: actions.AddToGroup, Count: 12, First: []string{"ann", "bob"}}
		for _, p := range []audit.Pending{edit, job} {
			created, err := s.Create(ctx, p)
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			got, err := s.Get(ctx, created.ID)
			if err != nil || !reflect.DeepEqual(got, created) || got.Pool != p.Pool || got.Job != p.Job ||
				!reflect.DeepEqual(got.Old, p.Old) || !reflect.DeepEqual(got.JobApproval, p.JobApproval) || !reflect.DeepEqual(got.Params, p.Params) {
				t.Errorf("Get = %+v, %v; want what was created, %+v", got, err, p)
			}
			// A replica of the previous version, mid-upgrade, finds the pool
			// and job where it looked for them.
			raw, err := s.t.Get(ctx, table.PendingKey(created.ID))
			var stored struct {
				Params map[string]string `dynamodbav:"params"`
			}
			if err == nil {
				err = attributevalue.UnmarshalMap(raw, &stored)
			}
			if err != nil || stored.Params["pool_name"] != p.Pool || stored.Params["job"] != p.Job {
				t.Errorf("stored params %v, %v; want pool_name %q and job %q as the previous version read them", stored.Params, err, p.Pool, p.Job)
			}
		}
	})
}
