package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// exportMessage waits for the requester's export progress message showing
// its Cancel button and returns it with the job id the button carries.
func exportMessage(h *bottest.Harness, user string) (slackemu.Message, string) {
	h.T.Helper()
	m := h.WaitMessage("the export's progress message with Cancel", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(user) && bottest.Contains(m, "Export") && len(m.Buttons()) > 0
	})
	for _, b := range m.Buttons() {
		if b.ActionID == bulkview.ActionIDBulkCancel {
			return m, b.Value
		}
	}
	h.T.Fatalf("the export's message has no Cancel button:\n%s", bottest.Text(m))
	return m, ""
}

// An export is a job: its progress message in the requester's DM carries a
// Cancel button while it runs, is updated in place to finished, and exactly
// one file is sent; the job and its audit entry each end once.
func TestExportJobShowsProgressWithCancelAndSendsOneFile(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas, WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	for i := range 130 {
		h.CreateUser(fmt.Sprintf("xj%03d", i), fmt.Sprintf("xj%03d@example.com", i))
	}
	first := h.Command(bottest.Admin, "export --attributes email")
	waitHeld(t, entered)
	running, id := exportMessage(h, bottest.Admin)
	if !bottest.Contains(running, "running") {
		t.Errorf("the progress message should say the export is running:\n%s", bottest.Text(running))
	}
	close(release)
	if done := h.Reply(first, 1); !bottest.Contains(done, "Exported 130 users") {
		t.Errorf("the export's answer:\n%s", bottest.Text(done))
	}
	final := h.WaitMessage("the same message updated to finished", func(m slackemu.Message) bool {
		return m.Channel == running.Channel && m.TS == running.TS && bottest.Contains(m, "finished") && bottest.Contains(m, "130 users")
	})
	if len(final.Buttons()) != 0 {
		t.Error("a finished export still shows its Cancel button")
	}
	if j := h.Job(id); j.State != audit.JobFinished {
		t.Errorf("job state %s; want FINISHED", j.State)
	}
	if _, rows := resultsCSV(t, h); len(rows) != 131 {
		t.Errorf("%d rows; want 130 users", len(rows)-1)
	}
	h.Stop()
	if n := len(h.Slack.Files()); n != 1 {
		t.Errorf("%d files sent; want exactly one", n)
	}
	e := auditEntry(t, h, "bulk#"+id+"#0")
	if e.Outcome != audit.OutcomeOK || !strings.Contains(e.Message, "exported 130 users") {
		t.Errorf("the export's audit entry: %s %q", e.Outcome, e.Message)
	}
}

// Cancel stops a running export: the canceller is told, the progress message
// says cancelled with no button, the requester's command is answered, and no
// file is sent. As with a bulk job, only the requester may cancel it (the
// pipeline's ByRequester rule): another admin is told so.
func TestExportCancelStopsItAndSendsNothing(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	h.CreateUser("xc1", "xc1@example.com")
	first := h.Command(bottest.Admin, "export")
	waitHeld(t, entered)
	running, id := exportMessage(h, bottest.Admin)

	refusesAnothersCancel(t, h, running, id, "export", "job")
	if ack := h.Reply(h.Click(running, bulkview.ActionIDBulkCancel, bottest.Admin), 1); !bottest.Contains(ack, "Cancelling the export") {
		t.Errorf("the canceller's answer:\n%s", bottest.Text(ack))
	}
	if done := h.Reply(first, 1); !bottest.Contains(done, "cancelled") || !bottest.Contains(done, "Nothing was sent") {
		t.Errorf("the export's answer after Cancel:\n%s", bottest.Text(done))
	}
	m := h.WaitMessage("the progress message saying cancelled", func(m slackemu.Message) bool {
		return m.TS == running.TS && bottest.Contains(m, "cancelled")
	})
	if len(m.Buttons()) != 0 {
		t.Error("a cancelled export still shows its Cancel button")
	}
	if j := h.Job(id); j.State != audit.JobCancelled {
		t.Errorf("job state %s; want CANCELLED", j.State)
	}
	close(release)
	h.Stop()
	if n := len(h.Slack.Files()); n != 0 {
		t.Errorf("%d files sent after Cancel; want none", n)
	}
}

// refusesAnothersCancel clicks Cancel on someone else's running job (what:
// "export", "check") as another admin: they are told only the requester may,
// and the job (jobword in the failure) is not cancelled.
func refusesAnothersCancel(t *testing.T, h *bottest.Harness, running slackemu.Message, id, what, jobword string) {
	t.Helper()
	if other := h.Reply(h.ClickAsShown(running, bulkview.ActionIDBulkCancel, bottest.Admin2), 1); bottest.Contains(other, "Cancelling") ||
		!bottest.Contains(other, "only the requester") {
		t.Fatalf("someone else cancelled another person's %s, or was not told why not:\n%s", what, bottest.Text(other))
	}
	if j := h.Job(id); j.Cancelled() {
		t.Fatalf("the refused click cancelled the %s", jobword)
	}
}

// stallOn says which read of a long job's first replica stalls (and then
// "dies"): a ListUsers page (exports, filtered dry runs) or a GetUser
// (import checks, dry runs of named users).
type stallOn bool

const (
	stallOnList stallOn = false
	stallOnGet  stallOn = true
)

// dyingReplicaWorld is two in-memory replicas of which the first to make
// the stalling read stops there and "dies": its job writes fail from then on
// (dyingJobs), so its lease lapses and the other replica takes the job over.
// entered says which replica stalled.
func dyingReplicaWorld(t *testing.T, on stallOn) (*bottest.Harness, <-chan int32) {
	t.Helper()
	first := &atomic.Int32{}
	first.Store(-1)
	entered := make(chan int32, 1)
	dead := []*atomic.Bool{{}, {}}
	var states, dirs atomic.Int32
	clock, lapse := lapseAtDeath()
	h := bottest.New(t, &bottest.Options{Replicas: 2, Configure: fastQuotas, BulkLease: dyingLease, BulkHeartbeat: dyingHeartbeat, Now: clock.Now,
		WrapState: func(s bot.StateStore) bot.StateStore {
			i := states.Add(1) - 1
			return dyingJobs{StateStore: s, JobStore: s.(desk.JobStore), dead: dead[i]}
		},
		WrapUsers: func(d pipeline.Directory) pipeline.Directory {
			i := dirs.Add(1) - 1
			if on == stallOnGet {
				return stallFirstGet{Directory: d, me: i, first: first, dead: dead[i], entered: entered, lapse: lapse}
			}
			return stallFirst{Directory: d, me: i, first: first, dead: dead[i], entered: entered, lapse: lapse}
		}})
	return h, entered
}

// stoppedReplicaWireWorld is two replicas on moto and DynamoDB Local with
// users prefix000…prefix069; whichever replica first lists users stalls there.
// started waits for that replica, named by what it started (what), so the
// test can stop it (h.StopReplica) and watch the other take the work over.
func stoppedReplicaWireWorld(t *testing.T, prefix string) (h *bottest.Harness, started func(what string) int) {
	t.Helper()
	first := &atomic.Int32{}
	first.Store(-1)
	entered := make(chan int32, 1)
	var dirs atomic.Int32
	h = bottest.New(t, &bottest.Options{Wire: true, Replicas: 2,
		WrapUsers: func(d pipeline.Directory) pipeline.Directory {
			return stallFirst{Directory: d, me: dirs.Add(1) - 1, first: first, dead: &atomic.Bool{}, entered: entered}
		}})
	for i := range 70 {
		h.CreateUser(fmt.Sprintf("%s%03d", prefix, i), fmt.Sprintf("%s%03d@example.com", prefix, i))
	}
	return h, func(what string) int {
		t.Helper()
		ctx, cancel := h.Timeout()
		defer cancel()
		select {
		case died := <-entered:
			return int(died)
		case <-ctx.Done():
			t.Fatalf("no replica started the %s", what)
			return -1
		}
	}
}

// dyingJobs is one replica's state store that stops answering job writes
// once its replica has "died", as a replica cut off from DynamoDB does: it
// renews no lease and can neither settle the export nor finish its job.
type dyingJobs struct {
	bot.StateStore
	desk.JobStore
	dead *atomic.Bool
}

var errDead = errors.New("test: this replica died")

// dyingLease is the job lease of the worlds where a replica dies, and
// dyingHeartbeat how often it is renewed and lapsed jobs looked for: the
// live runner renews it ten times a lease, and the survivor looks for the
// dead one's job every 50 ms.
const dyingLease, dyingHeartbeat = 500 * time.Millisecond, 50 * time.Millisecond

// lapseAtDeath returns the bots' clock of a world where a replica dies, and
// what moves it at the death: past the lease the dead runner last renewed, so
// the lease has lapsed at once, as it does a real lease later, and the
// survivor takes the job over at its next look for lapsed jobs instead of a
// lease later. Nothing else the clock judges lasts
// less than minutes, and the survivor holds no lease yet.
func lapseAtDeath() (clock *bottest.Clock, lapse func()) {
	clock = &bottest.Clock{}
	return clock, func() { clock.Advance(dyingLease) }
}

// died marks a stall wrapper's replica dead, once; lapse, when set, moves the
// world's clock past the dead runner's lease.
func died(dead *atomic.Bool, lapse func()) {
	dead.Store(true)
	if lapse != nil {
		lapse()
	}
}

func (s dyingJobs) AcquireJob(ctx context.Context, id, owner string, lease time.Duration) (audit.Job, error) {
	if s.dead.Load() {
		return audit.Job{}, errDead
	}
	return s.JobStore.AcquireJob(ctx, id, owner, lease)
}

func (s dyingJobs) SettleTarget(ctx context.Context, jobID string, index int, owner string, to audit.TargetState, note string) (audit.JobTarget, error) {
	if s.dead.Load() {
		return audit.JobTarget{}, errDead
	}
	return s.JobStore.SettleTarget(ctx, jobID, index, owner, to, note)
}

func (s dyingJobs) FinishJob(ctx context.Context, id, owner string, to audit.JobState, summary string) (audit.Job, error) {
	if s.dead.Load() {
		return audit.Job{}, errDead
	}
	return s.JobStore.FinishJob(ctx, id, owner, to, summary)
}

// stallFirst is a replica's directory whose ListUsers, for the first replica
// of all to list, marks that replica dead and never returns (until the test
// ends): its export stops mid-way, as if its process were killed.
type stallFirst struct {
	pipeline.Directory
	me      int32
	first   *atomic.Int32
	dead    *atomic.Bool
	entered chan int32
	lapse   func()
}

func (s stallFirst) ListUsers(ctx context.Context, poolID string, filter cognito.ListFilter, limit int, token string) (cognito.Page, error) {
	if s.first.CompareAndSwap(-1, s.me) {
		died(s.dead, s.lapse)
		s.entered <- s.me
	}
	if s.first.Load() == s.me {
		<-ctx.Done()
		return cognito.Page{}, ctx.Err()
	}
	return s.Directory.ListUsers(ctx, poolID, filter, limit, token)
}

// When the replica running an export dies mid-way, its lease lapses and the
// other replica starts the export again from the beginning: exactly one file
// is sent, the job finishes once, and the dead runner's audit intent is
// closed as unknown while the new attempt's entry says what it exported.
func TestExportIsTakenOverWhenItsReplicaDies(t *testing.T) {
	t.Parallel()
	h, entered := dyingReplicaWorld(t, stallOnList)
	for i := range 70 {
		h.CreateUser(fmt.Sprintf("xt%03d", i), fmt.Sprintf("xt%03d@example.com", i))
	}
	h.Command(bottest.Admin, "export --attributes email")
	var died int32
	ctx, cancel := h.Timeout()
	defer cancel()
	select {
	case died = <-entered:
	case <-ctx.Done():
		t.Fatal("no replica started the export")
	}
	_, id := exportMessage(h, bottest.Admin)
	_, rows := resultsCSV(t, h)
	if len(rows) != 71 {
		t.Errorf("%d rows; want the 70 users", len(rows)-1)
	}
	h.Eventually("the job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	h.Stop()
	if n := len(h.Slack.Files()); n != 1 {
		t.Errorf("%d files sent; want exactly one", n)
	}
	stopped := auditEntry(t, h, "bulk#"+id+"#0")
	if stopped.Outcome != audit.OutcomeError || !strings.Contains(stopped.Message, "starts again from the beginning") {
		t.Errorf("the dead runner's entry: %s %q", stopped.Outcome, stopped.Message)
	}
	survivor := bottest.ReplicaName(int(1 - died))
	again := auditEntry(t, h, "bulk#"+id+"#0#"+survivor)
	if again.Outcome != audit.OutcomeOK || !strings.Contains(again.Message, "exported 70 users") {
		t.Errorf("the takeover's entry: %s %q", again.Outcome, again.Message)
	}
}

func auditEntry(t *testing.T, h *bottest.Harness, id string) audit.Entry {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	e, err := h.Audit.Get(ctx, id)
	if err != nil {
		t.Fatalf("audit entry %s: %v", id, err)
	}
	return e
}

// On moto and DynamoDB Local: the replica running an export is stopped
// mid-way (h.StopReplica: its network is cut, as if its process died); the
// other replica takes the job over when the lease lapses and starts the
// export again. One file with every user is sent and the job finishes once.
func TestExportIsTakenOverWhenItsReplicaIsStoppedWire(t *testing.T) {
	t.Parallel()
	h, started := stoppedReplicaWireWorld(t, "xw")
	h.Command(bottest.Admin, "export --attributes email")
	died := started("export")
	_, id := exportMessage(h, bottest.Admin)
	h.StopReplica(died)
	_, rows := resultsCSV(t, h)
	if len(rows) != 71 {
		t.Errorf("%d rows; want the 70 users", len(rows)-1)
	}
	h.Eventually("the job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	h.WaitMessage("the progress message finished", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "finished") && bottest.Contains(m, "70 users")
	})
	h.Stop()
	if n := len(h.Slack.Files()); n != 1 {
		t.Errorf("%d files sent; want exactly one", n)
	}
	if e := auditEntry(t, h, "bulk#"+id+"#0"); e.Outcome != audit.OutcomeError {
		t.Errorf("the stopped runner's entry: %s %q; want closed as unknown", e.Outcome, e.Message)
	}
	if e := auditEntry(t, h, "bulk#"+id+"#0#"+bottest.ReplicaName(1-died)); e.Outcome != audit.OutcomeOK {
		t.Errorf("the takeover's entry: %s %q", e.Outcome, e.Message)
	}
}

// bulk.max_exports bounds the exports one replica runs: with 1, a second
// person's export while the first runs is turned away with a sentence and
// nothing is started for them.
func TestExportBeyondTheReplicasExportsIsTurnedAway(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) },
		Configure: func(c *config.Config) { c.Bulk.MaxExports = 1 }})
	h.CreateUser("xm1", "xm1@example.com")
	first := h.Command(bottest.Admin, "export")
	waitHeld(t, entered)
	second := h.Reply(h.Command(bottest.Admin2, "export"), 1)
	if !bottest.Contains(second, "Several exports are already running") {
		t.Errorf("an export beyond bulk.max_exports should be turned away:\n%s", bottest.Text(second))
	}
	close(release)
	if done := h.Reply(first, 1); !bottest.Contains(done, "Exported 1 users") {
		t.Errorf("the first export's answer:\n%s", bottest.Text(done))
	}
	h.Stop()
	if n := len(h.Slack.Files()); n != 1 {
		t.Errorf("%d files sent; want the first export's only", n)
	}
}

// Two people's exports arriving at once on a replica with room for one:
// the slot is taken before either export is recorded, so exactly one runs
// and the other is turned away with a sentence — never both accepted with
// one left waiting for room it was told it had.
func TestExportsArrivingAtOnceTakeTheReplicasLastSlotOnce(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 2)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) },
		Configure: func(c *config.Config) { c.Bulk.MaxExports = 1 }})
	h.CreateUser("xa1", "xa1@example.com")
	a, b := h.Command(bottest.Admin, "export"), h.Command(bottest.Admin2, "export")
	turnedAway := func(d *slackemu.Delivery) bool {
		for _, p := range h.Slack.ResponsePosts(d.ResponseURL) {
			if m, _ := h.Slack.Message(p.Channel, p.TS); bottest.Contains(m, "Several exports are already running") {
				return true
			}
		}
		return false
	}
	waitHeld(t, entered)
	h.Eventually("one of the two exports was turned away", func() bool { return turnedAway(a) || turnedAway(b) })
	if turnedAway(a) && turnedAway(b) {
		t.Fatal("both exports were turned away; one should run")
	}
	close(release)
	h.Eventually("the export that ran sent its CSV", func() bool { return len(h.Slack.Files()) > 0 })
	h.Stop()
	if n := len(h.Slack.Files()); n != 1 {
		t.Errorf("%d files sent; want the one export's", n)
	}
}
