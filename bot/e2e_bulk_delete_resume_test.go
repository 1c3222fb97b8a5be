package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// stallBulkCall is a replica's directory whose call named method, made by a
// bulk target (its intent is a job target's), stalls for the first replica
// of all to make it: that replica marks itself dead and the call returns
// only when the test releases it at its end (failing), as if its process were
// killed right there. Its other calls go through.
type stallBulkCall struct {
	pipeline.Directory
	method  string
	me      int32
	first   *atomic.Int32
	dead    *atomic.Bool
	entered chan int32
	lapse   func()
	release <-chan struct{}
	// goneOnResume deletes the user just before a resuming runner reads
	// them back (bulk#<job>#<n>#<replica>), as a `delete --now` would.
	goneOnResume bool
	// atDeath, when set, runs in the stalling call just before its replica
	// dies, while both replicas still answer: what happens between a
	// runner's last write and its death.
	atDeath func()
}

func (s stallBulkCall) stall(ctx context.Context, method string) error {
	if method != s.method || !strings.HasPrefix(pipeline.IntentID(ctx), "bulk#") {
		return nil
	}
	if s.first.CompareAndSwap(-1, s.me) {
		if s.atDeath != nil {
			s.atDeath()
		}
		died(s.dead, s.lapse)
		s.entered <- s.me
	}
	if s.first.Load() == s.me {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.release:
			return errDead
		}
	}
	return nil
}

func (s stallBulkCall) GetUser(ctx context.Context, poolID, username string) (*cognito.User, error) {
	if err := s.stall(ctx, "GetUser"); err != nil {
		return nil, err
	}
	if id := pipeline.IntentID(ctx); s.goneOnResume && strings.HasPrefix(id, "bulk#") && strings.Count(id, "#") == 3 {
		if _, err := s.Directory.DeleteUser(bottest.Fixture(ctx), poolID, username); err != nil && !errors.Is(err, cognito.ErrUserNotFound) {
			return nil, err
		}
	}
	return s.Directory.GetUser(ctx, poolID, username)
}

func (s stallBulkCall) DisableUser(ctx context.Context, poolID, username string) (cognito.Result, error) {
	if err := s.stall(ctx, "DisableUser"); err != nil {
		return cognito.Result{}, err
	}
	return s.Directory.DisableUser(ctx, poolID, username)
}

func (s stallBulkCall) SignOut(ctx context.Context, poolID, username string) (cognito.Result, error) {
	if err := s.stall(ctx, "SignOut"); err != nil {
		return cognito.Result{}, err
	}
	return s.Directory.SignOut(ctx, poolID, username)
}

// dyingSchedules is dyingJobs that also stops writing schedules once its
// replica has died: a replica cut off from DynamoDB cannot call off the
// schedule its stalled delete made when the stalled call finally fails.
type dyingSchedules struct{ dyingJobs }

func (s dyingSchedules) MoveSchedule(ctx context.Context, id string, from, to audit.State, u audit.ScheduleUpdate) (audit.Scheduled, error) {
	if s.dead.Load() {
		return audit.Scheduled{}, errDead
	}
	return s.dyingJobs.StateStore.MoveSchedule(ctx, id, from, to, u)
}

// bulkDeleteDyingWorld is two in-memory replicas, the undo window on (the
// default), of which the first to make a bulk target's call named method
// dies there; the other takes the job over.
func bulkDeleteDyingWorld(t *testing.T, method string) (*bottest.Harness, <-chan int32) {
	t.Helper()
	return bulkDeleteWorld(t, stallBulkCall{method: method})
}

// bulkDeleteWorld is bulkDeleteDyingWorld with each replica's directory
// wrapped as like says (its method, goneOnResume and atDeath).
func bulkDeleteWorld(t *testing.T, like stallBulkCall) (*bottest.Harness, <-chan int32) {
	t.Helper()
	first := &atomic.Int32{}
	first.Store(-1)
	entered := make(chan int32, 1)
	dead := []*atomic.Bool{{}, {}}
	release := make(chan struct{})
	var states, dirs atomic.Int32
	clock, lapse := lapseAtDeath()
	h := bottest.New(t, &bottest.Options{Replicas: 2, Configure: fastQuotas, BulkLease: dyingLease, BulkHeartbeat: dyingHeartbeat, Now: clock.Now,
		WrapState: func(s bot.StateStore) bot.StateStore {
			i := states.Add(1) - 1
			return dyingSchedules{dyingJobs{StateStore: s, JobStore: s.(desk.JobStore), dead: dead[i]}}
		},
		WrapUsers: func(d pipeline.Directory) pipeline.Directory {
			i := dirs.Add(1) - 1
			return stallBulkCall{Directory: d, method: like.method, goneOnResume: like.goneOnResume, atDeath: like.atDeath,
				me: i, first: first, dead: dead[i], entered: entered, lapse: lapse, release: release}
		}})
	// Registered after the harness's own stop, so run before it: the stalled
	// call fails at once instead of holding the shutdown for its grace.
	t.Cleanup(func() { close(release) })
	return h, entered
}

// bulkDeleteDryRun types "bulk delete" on names as Admin and returns the dry
// run with the job's id (its confirm button's value).
func bulkDeleteDryRun(t *testing.T, h *bottest.Harness, names ...string) (slackemu.Message, string) {
	t.Helper()
	dry := h.Reply(h.Command(bottest.Admin, "bulk delete "+strings.Join(names, " ")), 1)
	for _, b := range dry.Buttons() {
		if b.ActionID == bulkview.ActionIDBulkConfirm {
			return dry, b.Value
		}
	}
	t.Fatalf("the dry run offers no confirm:\n%s", bottest.Text(dry))
	return dry, ""
}

// confirmBulkDelete types "bulk delete" on names as Admin, confirms the dry
// run and returns the job's id.
func confirmBulkDelete(t *testing.T, h *bottest.Harness, names ...string) string {
	t.Helper()
	dry, jobID := bulkDeleteDryRun(t, h, names...)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	return jobID
}

// waitDeath waits for the stalling replica to die and returns which it was.
func waitDeath(t *testing.T, h *bottest.Harness, entered <-chan int32) int32 {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	select {
	case died := <-entered:
		return died
	case <-ctx.Done():
		t.Fatal("no replica made the stalling call")
		return -1
	}
}

// hardDeletesOf lists the deletions waiting out their undo window for username.
func hardDeletesOf(t *testing.T, h *bottest.Harness, username string) []audit.Scheduled {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	waiting, err := h.State.WaitingSchedules(ctx, 100)
	if err != nil {
		t.Fatalf("reading the waiting schedules: %v", err)
	}
	var out []audit.Scheduled
	for _, sc := range waiting {
		if sc.Kind == audit.ScheduleHardDelete && sc.Target.Username == username {
			out = append(out, sc)
		}
	}
	return out
}

// jobTarget reads target index of job jobID.
func jobTarget(t *testing.T, h *bottest.Harness, jobID string, index int) audit.JobTarget {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	targets, err := h.State.(bulk.Store).JobTargets(ctx, jobID, -1, 1000)
	if err != nil {
		t.Fatalf("reading the job's targets: %v", err)
	}
	for _, tg := range targets {
		if tg.Index == index {
			return tg
		}
	}
	t.Fatalf("job %s has no target %d", jobID, index)
	return audit.JobTarget{}
}

// A bulk delete's runner dies after it scheduled its target's deletion —
// before disabling them, or after — and the other replica takes the job
// over: it recognises the deletion as this job target's own, finishes it
// (the user is disabled and signed out) and reports the target done, with
// exactly one deletion scheduled, and the audit log says what happened.
func TestResumedBulkDeleteFinishesItsOwnScheduledDeletion(t *testing.T) {
	t.Parallel()
	for _, stalled := range []string{"DisableUser", "SignOut"} {
		t.Run("died in "+stalled, func(t *testing.T) {
			t.Parallel()
			h, entered := bulkDeleteDyingWorld(t, stalled)
			h.CreateUser("rd1", "rd1@example.com")
			jobID := confirmBulkDelete(t, h, "rd1")
			died := waitDeath(t, h, entered)
			h.Eventually("the job finished", func() bool { return h.Job(jobID).State == audit.JobFinished })

			if tg := jobTarget(t, h, jobID, 0); tg.State != audit.TargetDone {
				t.Errorf("the resumed target is %s (%q); want DONE", tg.State, tg.Note)
			}
			if u, _ := h.User("rd1"); u == nil || u.Enabled {
				t.Error("rd1 should be kept, disabled, for the undo window")
			}
			scheduled := hardDeletesOf(t, h, "rd1")
			if len(scheduled) != 1 {
				t.Fatalf("%d deletions of rd1 waiting; want exactly one", len(scheduled))
			}
			survivor := bottest.ReplicaName(int(1 - died))
			first := auditEntry(t, h, "bulk#"+jobID+"#0")
			if first.Outcome != audit.OutcomeOK {
				t.Errorf("the dead runner's attempt: %s %q; want OK, its deletion is in place", first.Outcome, first.Message)
			}
			again := auditEntry(t, h, "bulk#"+jobID+"#0#"+survivor)
			if again.Outcome != audit.OutcomeOK || !strings.Contains(again.Message, "already scheduled by this job") ||
				!strings.Contains(again.Message, scheduled[0].RunAt.UTC().Format("2006-01-02 15:04 UTC")) {
				t.Errorf("the survivor's attempt: %s %q; want OK, saying it found this job's deletion and when it is final", again.Outcome, again.Message)
			}
			h.WaitMessage("the progress message saying finished, one done and none failed", func(m slackemu.Message) bool {
				return bottest.Contains(m, "Bulk delete") && bottest.Contains(m, "finished") &&
					bottest.Contains(m, "1 done") && bottest.Contains(m, "0 failed")
			})
		})
	}
}

// A deletion already pending from someone else's request is not this job's:
// the bulk delete's target fails saying so, also when its runner died before
// reading the user and the other replica resumed it, and a second delete of
// one user is refused the same way. One deletion stays scheduled, the first.
func TestBulkDeleteRefusesAUserScheduledBySomeoneElse(t *testing.T) {
	t.Parallel()
	h, entered := bulkDeleteDyingWorld(t, "GetUser")
	h.CreateUser("ro1", "ro1@example.com")
	confirmDelete(t, h, "ro1", "")
	before := hardDeletesOf(t, h, "ro1")
	if len(before) != 1 {
		t.Fatalf("%d deletions of ro1 waiting after the delete; want one", len(before))
	}

	jobID := confirmBulkDelete(t, h, "ro1")
	waitDeath(t, h, entered)
	h.Eventually("the job finished", func() bool { return h.Job(jobID).State == audit.JobFinished })
	if tg := jobTarget(t, h, jobID, 0); tg.State != audit.TargetFailed || !strings.Contains(tg.Note, "already scheduled for deletion") {
		t.Errorf("the target is %s (%q); want FAILED, already scheduled for deletion", tg.State, tg.Note)
	}

	prompt := h.Reply(h.Command(bottest.Admin2, "delete ro1"), 1)
	if answer := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin2), 1); !bottest.Contains(answer, "already scheduled for deletion") {
		t.Errorf("a second delete of ro1 is not refused as already scheduled:\n%s", bottest.Text(answer))
	}
	after := hardDeletesOf(t, h, "ro1")
	if len(after) != 1 || after[0].ID != before[0].ID {
		t.Errorf("deletions of ro1 waiting: %d; want only the first request's", len(after))
	}
}

// A deletion scheduled by the target's first attempt on a replica of the
// earlier version keeps no job, only its request: the intent id of that
// attempt, bulk#<job>#<n>. The resuming runner recognises it by that id,
// exactly, and finishes it: the user is disabled, one deletion waits.
func TestResumedBulkDeleteFinishesADeletionScheduledBeforeSchedulesKeptTheirJob(t *testing.T) {
	t.Parallel()
	h, entered := bulkDeleteDyingWorld(t, "GetUser")
	h.CreateUser("rv1", "rv1@example.com")
	u, _ := h.User("rv1")
	dry, jobID := bulkDeleteDryRun(t, h, "rv1")
	ctx, cancel := h.Timeout()
	defer cancel()
	if _, err := h.State.CreateSchedule(ctx, audit.Scheduled{Kind: audit.ScheduleHardDelete, Action: "delete",
		Target: audit.Target{Pool: h.Pool.ID, Username: u.Username, Sub: u.Sub}, PoolName: h.Pool.Name,
		Requester: audit.Actor{UserID: bottest.Admin, TeamID: "T1"}, RequestID: "bulk#" + jobID + "#0",
		RunAt: time.Now().Add(72 * time.Hour)}); err != nil {
		t.Fatalf("scheduling as the earlier version did: %v", err)
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	waitDeath(t, h, entered)
	h.Eventually("the job finished", func() bool { return h.Job(jobID).State == audit.JobFinished })
	if tg := jobTarget(t, h, jobID, 0); tg.State != audit.TargetDone {
		t.Errorf("the resumed target is %s (%q); want DONE", tg.State, tg.Note)
	}
	if u, _ := h.User("rv1"); u == nil || u.Enabled {
		t.Error("rv1 should be kept, disabled, for the undo window")
	}
	if n := len(hardDeletesOf(t, h, "rv1")); n != 1 {
		t.Errorf("%d deletions of rv1 waiting; want exactly one", n)
	}
}

// A user deleted outright (delete --now) after the dead runner scheduled
// their deletion is what the job asked for: the resumed target is done and
// says it found them deleted.
func TestResumedBulkDeleteFindsItsUserDeletedSince(t *testing.T) {
	t.Parallel()
	h, entered := bulkDeleteWorld(t, stallBulkCall{method: "DisableUser", goneOnResume: true})
	h.CreateUser("rg1", "rg1@example.com")
	jobID := confirmBulkDelete(t, h, "rg1")
	died := waitDeath(t, h, entered)
	h.Eventually("the job finished", func() bool { return h.Job(jobID).State == audit.JobFinished })
	if tg := jobTarget(t, h, jobID, 0); tg.State != audit.TargetDone {
		t.Errorf("the resumed target is %s (%q); want DONE", tg.State, tg.Note)
	}
	if _, exists := h.User("rg1"); exists {
		t.Error("rg1 exists; the test deleted them before the resume")
	}
	again := auditEntry(t, h, "bulk#"+jobID+"#0#"+bottest.ReplicaName(int(1-died)))
	if again.Outcome != audit.OutcomeOK || !strings.Contains(again.Message, "already deleted") {
		t.Errorf("the survivor's attempt: %s %q; want OK, found already deleted", again.Outcome, again.Message)
	}
}
