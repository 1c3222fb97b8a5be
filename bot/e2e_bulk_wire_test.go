package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// These run the bulk runner's two hardest promises end to end, on moto and
// DynamoDB Local: a job survives the replica running it, and a throttled
// Cognito slows a job down without failing it.

// createBulkUsers makes n users named prefix00, prefix01, … and returns their names.
func createBulkUsers(h *bottest.Harness, prefix string, n int) []string {
	var names []string
	for i := range n {
		name := fmt.Sprintf("%s%02d", prefix, i)
		h.CreateUser(name, name+"@example.com")
		names = append(names, name)
	}
	return names
}

// confirmBulkDisable types "bulk disable" on names, clicks the dry run's
// confirm button and returns the job's id (the button's value).
func confirmBulkDisable(t *testing.T, h *bottest.Harness, names []string) string {
	t.Helper()
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " ")), 1)
	if want := fmt.Sprintf("Disable %d users", len(names)); !bottest.Contains(dry, want) {
		t.Fatalf("dry run does not offer %q:\n%s", want, bottest.Text(dry))
	}
	var jobID string
	for _, b := range dry.Buttons() {
		if b.ActionID == bulkview.ActionIDBulkConfirm {
			jobID = b.Value
		}
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	return jobID
}

// targetsIn counts the job's targets in each state, read from the state store.
func targetsIn(t *testing.T, h *bottest.Harness, jobID string) map[audit.TargetState]int {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	targets, err := h.State.(bulk.Store).JobTargets(ctx, jobID, -1, 1000)
	if err != nil {
		t.Fatalf("reading the job's targets: %v", err)
	}
	counts := map[audit.TargetState]int{}
	for _, tg := range targets {
		counts[tg.State]++
	}
	return counts
}

// jobEntries reads each target's audit entry, bulk#<job>#<index>, failing the
// test when one is missing or still open.
func jobEntries(t *testing.T, h *bottest.Harness, jobID string, total int) []audit.Entry {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	entries := make([]audit.Entry, total)
	for i := range total {
		e, err := h.Audit.Get(ctx, fmt.Sprintf("bulk#%s#%d", jobID, i))
		if err != nil {
			t.Fatalf("target %d has no audit entry: %v", i, err)
		}
		if e.Outcome != audit.OutcomeOK && e.Outcome != audit.OutcomeError {
			t.Errorf("target %d's audit entry (%s) has no outcome: %q", i, e.Target.Username, e.Outcome)
		}
		entries[i] = e
	}
	return entries
}

// onlyJobEntry checks that the job audited username exactly once.
func onlyJobEntry(t *testing.T, h *bottest.Harness, jobID, username string) {
	t.Helper()
	n := 0
	for _, e := range h.AuditFor(username, 1) {
		if e.Params["job"] == jobID && e.Params["phase"] == "bulk" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%s has %d audit entries from the job; want exactly 1", username, n)
	}
}

// disableCounts counts, across replicas, the disables Cognito answered for
// each user: a target run twice would show as 2.
type disableCounts struct {
	mu sync.Mutex
	n  map[string]int
}

type countingDisables struct {
	pipeline.Directory
	c *disableCounts
}

func (d countingDisables) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	res, err := d.Directory.DisableUser(ctx, pool, username)
	if err == nil {
		d.c.mu.Lock()
		d.c.n[username]++
		d.c.mu.Unlock()
	}
	return res, err
}

// The runner's replica dies mid-job (its requests cut at one instant, as a
// SIGKILL would): the other takes the job over and settles every target the
// dead one had started by reading its user back — disabled already: done;
// still enabled: disabled now. Nothing is lost, nothing is done twice, and the
// message says all done.
func TestBulkJobIsFinishedByTheOtherReplicaWhenItsRunnerStops(t *testing.T) {
	// 4 disables a second (the job's share of 5) keep the job running long
	// enough to stop its replica mid-way.
	counts := &disableCounts{n: map[string]int{}}
	h := bottest.New(t, &bottest.Options{Replicas: 2, Wire: true,
		Configure: func(c *config.Config) { c.Quotas.UserUpdate = 5 },
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return countingDisables{d, counts} }})
	names := createBulkUsers(h, "takeover", 30)
	jobID := confirmBulkDisable(t, h, names)

	h.Eventually("five targets done", func() bool { return targetsIn(t, h, jobID)[audit.TargetDone] >= 5 })
	running := h.Job(jobID)
	stopped := bottest.ReplicaOf(running.Owner)
	if stopped < 0 || stopped > 1 {
		t.Fatalf("job owner %q is neither replica", running.Owner)
	}
	h.StopReplica(stopped)
	before := targetsIn(t, h, jobID)
	if settled := before[audit.TargetDone] + before[audit.TargetFailed] + before[audit.TargetSkipped]; settled >= len(names) {
		t.Fatalf("the job had settled every target (%v) before its replica stopped; nothing to take over", before)
	}

	f, rows := resultsCSV(t, h)
	if finished := h.Job(jobID); finished.State != audit.JobFinished || finished.Owner != bottest.ReplicaName(1-stopped) {
		t.Errorf("job %s by %q; want finished by %s, the replica left running", finished.State, finished.Owner, bottest.ReplicaName(1-stopped))
	}
	if len(rows) != len(names)+1 {
		t.Fatalf("results CSV has %d rows; want %d:\n%s", len(rows)-1, len(names), f.Content)
	}
	for i, row := range rows[1:] {
		if row[0] != names[i] || row[3] != bulk.OutcomeDone {
			t.Errorf("row %d = %v; want %s done", i, row, names[i])
		}
	}
	t.Logf("replica %d stopped with %v started or settled", stopped, before)
	counts.mu.Lock()
	for _, n := range names {
		if counts.n[n] != 1 {
			t.Errorf("%s disabled %d times; want exactly once", n, counts.n[n])
		}
	}
	counts.mu.Unlock()
	for _, n := range names {
		onlyJobEntry(t, h, jobID, n)
		if u, _ := h.User(n); u.Enabled {
			t.Errorf("%s is still enabled on moto", n)
		}
	}
	for i, e := range jobEntries(t, h, jobID, len(names)) {
		if e.Target.Username != names[i] {
			t.Errorf("target %d's audit entry is about %q; want %s", i, e.Target.Username, names[i])
		}
	}
	h.WaitMessage("finished progress message: all done", func(m slackemu.Message) bool {
		return bottest.Contains(m, "Bulk disable") && bottest.Contains(m, "finished") &&
			bottest.Contains(m, fmt.Sprintf("%d done · ❌ 0 failed", len(names)))
	})
	if files := h.Slack.Files(); len(files) != 1 {
		t.Fatalf("%d results files; want the one from the replica that finished the job", len(files))
	}
}

func TestBulkDisableThroughThrottlingCognitoFinishesEveryTarget(t *testing.T) {
	h := bottest.New(t, &bottest.Options{Wire: true, CognitoThrottle: 0.2})
	names := createBulkUsers(h, "throttled", 40)
	jobID := confirmBulkDisable(t, h, names)

	f, rows := resultsCSV(t, h)
	if len(rows) != len(names)+1 {
		t.Fatalf("results CSV has %d rows; want %d:\n%s", len(rows)-1, len(names), f.Content)
	}
	for i, row := range rows[1:] {
		if row[0] != names[i] || row[3] != bulk.OutcomeDone {
			t.Errorf("row %d = %v; want %s done", i, row, names[i])
		}
	}
	for _, n := range names {
		if u, _ := h.User(n); u.Enabled {
			t.Errorf("%s is still enabled on moto", n)
		}
	}
	for i, e := range jobEntries(t, h, jobID, len(names)) {
		if e.Outcome != audit.OutcomeOK {
			t.Errorf("target %d (%s) audited as %s: %s", i, e.Target.Username, e.Outcome, e.Message)
		}
	}
	if h.Throttle.Refused() == 0 || h.Throttle.Refused() < h.Throttle.Requests()/5 {
		t.Errorf("the proxy refused %d of %d Cognito requests; want every fifth", h.Throttle.Refused(), h.Throttle.Requests())
	}
	t.Logf("the proxy refused %d of %d Cognito requests", h.Throttle.Refused(), h.Throttle.Requests())
}
