package state

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

// forEachJobStore runs test against a MemoryStore and a DynamoDB Store, handing out
// handles on one storage with their own clocks.
func forEachJobStore(t *testing.T, iso isolation, test func(t *testing.T, open func(opts ...audit.Option) *storeCore)) {
	forEachStore(t, iso, func(t *testing.T, open storeOpener) {
		test(t, func(opts ...audit.Option) *storeCore {
			switch s := open(opts...).(type) {
			case *Store:
				return &s.storeCore
			case *MemoryStore:
				return &s.storeCore
			}
			t.Fatal("unknown store")
			return nil
		})
	})
}

func sampleJob(now time.Time) audit.Job {
	return audit.Job{Action: "disable", Pool: "prod", PoolID: "us-east-1_p", Args: map[string]string{"group": "staff"},
		Requester: audit.Actor{UserID: "UREQ", TeamID: "T1", Name: "erin"}, Channel: "C1", ExpiresAt: now.Add(15 * time.Minute)}
}

func sampleTargets(n int) []audit.JobTarget {
	out := make([]audit.JobTarget, n)
	for i := range out {
		out[i] = audit.JobTarget{Input: fmt.Sprint("user", i), Username: fmt.Sprint("user", i), Sub: fmt.Sprint("sub-", i)}
	}
	return out
}

func TestStoreJobLeaseIsHeldByOneOwnerAndTakenOverWhenItLapses(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		clock := newFakeClock(time.Now())
		a, b := open(audit.WithClock(clock.Now)), open(audit.WithClock(clock.Now))
		targets := sampleTargets(3)
		targets[2].State, targets[2].Note = audit.TargetSkipped, "already disabled"
		j, err := a.CreateJob(ctx, sampleJob(clock.Now()), targets)
		if err != nil || j.State != audit.JobDraft || j.Total != 3 || j.Args["group"] != "staff" {
			t.Fatalf("CreateJob = %+v, %v", j, err)
		}
		if read, err := b.GetJob(ctx, j.ID); err != nil || read.ToRun != 2 {
			t.Fatalf("GetJob = %+v, %v; want 2 targets to run (one skipped at the dry run)", read, err)
		}
		if _, err := a.AcquireJob(ctx, j.ID, "A", 10*time.Second); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("acquiring a draft: %v; want ErrConflict", err)
		}
		if _, err := a.StartJob(ctx, j.ID, audit.Actor{UserID: "UREQ", TeamID: "T1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.StartJob(ctx, j.ID, audit.Actor{UserID: "UREQ", TeamID: "T1"}); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("second start: %v; want ErrConflict", err)
		}
		if got, err := a.AcquireJob(ctx, j.ID, "A", 10*time.Second); err != nil || got.Owner != "A" {
			t.Fatalf("A acquires: %+v, %v", got, err)
		}
		var je *audit.JobError
		if _, err := b.AcquireJob(ctx, j.ID, "B", 10*time.Second); !errors.As(err, &je) || je.Current.Owner != "A" {
			t.Fatalf("B acquires a held lease: %v; want a JobError naming A", err)
		}
		clock.Advance(5 * time.Second)
		if _, err := a.AcquireJob(ctx, j.ID, "A", 10*time.Second); err != nil {
			t.Fatalf("A renews: %v", err)
		}
		clock.Advance(11 * time.Second) // A stopped renewing
		if got, err := b.AcquireJob(ctx, j.ID, "B", 10*time.Second); err != nil || got.Owner != "B" {
			t.Fatalf("B takes over a lapsed lease: %+v, %v", got, err)
		}
		if _, err := a.AcquireJob(ctx, j.ID, "A", 10*time.Second); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("A renews after the takeover: %v; want ErrConflict", err)
		}
		if _, err := a.FinishJob(ctx, j.ID, "A", audit.JobFinished, "done"); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("A finishes a job it lost: %v; want ErrConflict", err)
		}
		c, err := a.CancelJob(ctx, j.ID, audit.Actor{UserID: "UC", TeamID: "T1", Name: "carol"})
		if err != nil || !c.Cancelled() || c.CancelledBy.UserID != "UC" {
			t.Fatalf("CancelJob = %+v, %v", c, err)
		}
		if _, err := a.CancelJob(ctx, j.ID, audit.Actor{UserID: "UD", TeamID: "T1"}); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("second cancel: %v; want ErrConflict", err)
		}
		if hb, err := b.AcquireJob(ctx, j.ID, "B", 10*time.Second); err != nil || !hb.Cancelled() {
			t.Fatalf("heartbeat after cancel: %+v, %v; want it to carry the cancel", hb, err)
		}
		if err := b.SetJobMessage(ctx, j.ID, "D1", "123.456"); err != nil {
			t.Fatal(err)
		}
		done, err := b.FinishJob(ctx, j.ID, "B", audit.JobCancelled, "2 done")
		if err != nil || done.State != audit.JobCancelled || done.MessageTS != "123.456" || done.Summary != "2 done" {
			t.Fatalf("FinishJob = %+v, %v", done, err)
		}
		if _, err := b.FinishJob(ctx, j.ID, "B", audit.JobFinished, ""); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("finishing twice: %v; want ErrConflict", err)
		}
		ts, err := a.JobTargets(ctx, j.ID, -1, 2)
		if err != nil || len(ts) != 2 || ts[0].Username != "user0" || ts[1].Index != 1 {
			t.Fatalf("first page of targets: %+v, %v", ts, err)
		}
		rest, err := a.JobTargets(ctx, j.ID, ts[1].Index, 2)
		if err != nil || len(rest) != 1 || rest[0].State != audit.TargetSkipped || rest[0].Note != "already disabled" {
			t.Fatalf("second page of targets: %+v, %v", rest, err)
		}
	})
}

func TestStoreJobDraftCannotStartAfterItsDeadline(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		clock := newFakeClock(time.Now())
		s := open(audit.WithClock(clock.Now))
		j, err := s.CreateJob(ctx, sampleJob(clock.Now()), sampleTargets(1))
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(16 * time.Minute)
		if _, err := s.StartJob(ctx, j.ID, audit.Actor{UserID: "UREQ", TeamID: "T1"}); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("starting an expired draft: %v; want ErrConflict", err)
		}
		if d, err := s.DiscardJob(ctx, j.ID, audit.Actor{UserID: "UREQ", TeamID: "T1"}); err != nil || d.State != audit.JobDiscarded {
			t.Fatalf("DiscardJob = %+v, %v", d, err)
		}
	})
}

func TestStoreJobTargetsAreClaimedOnceUnderRaces(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		a, b := open(), open()
		const n = 12
		j, err := a.CreateJob(ctx, sampleJob(time.Now()), sampleTargets(n))
		if err != nil {
			t.Fatal(err)
		}
		var wins [n]atomic.Int32
		var wg sync.WaitGroup
		for r, s := range []*storeCore{a, b, a, b} {
			owner := fmt.Sprint("R", r)
			wg.Go(func() {
				for i := range n {
					if _, err := s.ClaimTarget(ctx, j.ID, i, owner); err == nil {
						wins[i].Add(1)
						if _, err := s.SettleTarget(ctx, j.ID, i, owner, audit.TargetDone, "ok"); err != nil {
							t.Errorf("settling own claim %d: %v", i, err)
						}
					} else if !errors.Is(err, audit.ErrConflict) {
						t.Errorf("claim %d: %v", i, err)
					}
				}
			})
		}
		wg.Wait()
		for i := range n {
			if w := wins[i].Load(); w != 1 {
				t.Errorf("target %d claimed %d times; want exactly once", i, w)
			}
		}
		var te *audit.TargetError
		if _, err := a.ClaimTarget(ctx, j.ID, 0, "late"); !errors.As(err, &te) || te.Current.State != audit.TargetDone {
			t.Fatalf("claiming a settled target: %v; want a TargetError showing DONE", err)
		}
	})
}

func TestStoreJobRunningTargetIsTakenOverOnceAndSettledOnlyByItsOwner(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, sharedStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		s := open()
		j, err := s.CreateJob(ctx, sampleJob(time.Now()), sampleTargets(1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClaimTarget(ctx, j.ID, 0, "A"); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for r := range 4 {
			wg.Go(func() {
				if _, err := s.TakeTarget(ctx, j.ID, 0, "A", fmt.Sprint("B", r)); err == nil {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d takeovers won; want 1", wins.Load())
		}
		if _, err := s.SettleTarget(ctx, j.ID, 0, "A", audit.TargetDone, ""); !errors.Is(err, audit.ErrConflict) {
			t.Fatalf("the old owner settled: %v; want ErrConflict", err)
		}
		got, err := s.GetTarget(ctx, j.ID, 0)
		if err != nil || got.State != audit.TargetRunning || got.Owner == "A" {
			t.Fatalf("target %+v, %v", got, err)
		}
	})
}

func TestStoreJobsToRunListsOnlyRunningJobsWithALapsedLease(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, ownStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		clock := newFakeClock(time.Now())
		s := open(audit.WithClock(clock.Now))
		ids := map[string]string{}
		for _, name := range []string{"draft", "fresh", "held", "lapsed"} {
			j, err := s.CreateJob(ctx, sampleJob(clock.Now()), sampleTargets(1))
			if err != nil {
				t.Fatal(err)
			}
			ids[name] = j.ID
			if name != "draft" {
				if _, err := s.StartJob(ctx, j.ID, audit.Actor{UserID: "U", TeamID: "T"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := s.AcquireJob(ctx, ids["held"], "A", time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcquireJob(ctx, ids["lapsed"], "A", 5*time.Second); err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * time.Second)
		jobs, err := s.JobsToRun(ctx, clock.Now(), 10)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, j := range jobs {
			got[j.ID] = true
		}
		if len(got) != 2 || !got[ids["fresh"]] || !got[ids["lapsed"]] {
			t.Fatalf("JobsToRun = %v; want fresh and lapsed only (ids %v)", idList(jobs, func(j audit.Job) string { return j.ID }), ids)
		}
	})
}

// A job just started is its starter's for a moment: the starter posts the
// progress message and records where it is before any poll may run the job,
// so a small job cannot finish with its final update lost.
func TestStoreJobJustStartedIsNotDueUntilItsStarterHadItsTurn(t *testing.T) {
	t.Parallel()
	forEachJobStore(t, ownStorage, func(t *testing.T, open func(...audit.Option) *storeCore) {
		ctx := ctxT(t)
		clock := newFakeClock(time.Now())
		s := open(audit.WithClock(clock.Now))
		j, err := s.CreateJob(ctx, sampleJob(clock.Now()), sampleTargets(1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.StartJob(ctx, j.ID, audit.Actor{UserID: "U", TeamID: "T"}); err != nil {
			t.Fatal(err)
		}
		if due, err := s.JobsToRun(ctx, clock.Now(), 10); err != nil || len(due) != 0 {
			t.Fatalf("JobsToRun at once = %v, %v; want none: the starter runs it", idList(due, func(j audit.Job) string { return j.ID }), err)
		}
		if _, err := s.AcquireJob(ctx, j.ID, "starter", time.Minute); err != nil {
			t.Fatalf("the starter acquires its job at once: %v", err)
		}
		clock.Advance(5*time.Second + time.Second)
		if due, err := s.JobsToRun(ctx, clock.Now(), 10); err != nil || len(due) != 0 {
			t.Fatalf("JobsToRun with the starter's lease held = %v, %v; want none", idList(due, func(j audit.Job) string { return j.ID }), err)
		}
		j2, err := s.CreateJob(ctx, sampleJob(clock.Now()), sampleTargets(1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.StartJob(ctx, j2.ID, audit.Actor{UserID: "U", TeamID: "T"}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(5*time.Second + time.Second)
		due, err := s.JobsToRun(ctx, clock.Now(), 10)
		if err != nil || len(due) != 1 || due[0].ID != j2.ID {
			t.Fatalf("JobsToRun after the hold = %v, %v; want the job whose starter never acquired it", idList(due, func(j audit.Job) string { return j.ID }), err)
		}
	})
}
