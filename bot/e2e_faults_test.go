package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// The fault suite (issue 15, item 7): single actions and bulk jobs on moto and
// DynamoDB Local while one piece of the world fails under them — the Socket
// Mode connection dropped, DynamoDB unreachable, Cognito answering 500 or
// throttling, a replica stopped. Each test asserts what a user relies on: no
// target lost, none changed twice, and every attempt with an outcome in the
// audit log. The bulk takeover after a stopped replica is
// TestBulkJobIsFinishedByTheOtherReplicaWhenItsRunnerStops.
//
// These tests (and the throttled and takeover bulk tests, and the DynamoDB
// proxy ones) run one at a time, before the parallel ones: their faults land
// by the order and timing of requests, which other tests on the same
// emulators would shift.

// heldDisable holds the first DisableUser any replica makes until the test
// releases it, so a fault can be injected while an action is inside its
// Cognito call (its intent written, its outcome not yet), and counts the
// disables Cognito answered per user.
type heldDisable struct {
	entered chan int // the holding replica's index, once
	release chan struct{}
	once    sync.Once
	counts  disableCounts
}

func newHeldDisable() *heldDisable {
	return &heldDisable{entered: make(chan int, 1), release: make(chan struct{}), counts: disableCounts{n: map[string]int{}}}
}

// wrap is for Options.WrapUsers; the harness calls it once per replica, in order.
func (hd *heldDisable) wrap() func(pipeline.Directory) pipeline.Directory {
	next := 0
	return func(d pipeline.Directory) pipeline.Directory {
		i := next
		next++
		return heldDirectory{Directory: d, hd: hd, replica: i}
	}
}

type heldDirectory struct {
	pipeline.Directory
	hd      *heldDisable
	replica int
}

func (d heldDirectory) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	d.hd.once.Do(func() {
		d.hd.entered <- d.replica
		select {
		case <-d.hd.release:
		case <-ctx.Done():
		}
	})
	res, err := d.Directory.DisableUser(ctx, pool, username)
	if err == nil {
		d.hd.counts.mu.Lock()
		d.hd.counts.n[username]++
		d.hd.counts.mu.Unlock()
	}
	return res, err
}

// waitHeld waits until a replica is inside the held disable and returns which.
func (hd *heldDisable) waitHeld(t *testing.T, h *bottest.Harness) int {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	select {
	case i := <-hd.entered:
		return i
	case <-ctx.Done():
		t.Fatal("no replica reached the disable")
		return -1
	}
}

// disabledOnce checks that Cognito disabled each user exactly once and that
// moto says so.
func (hd *heldDisable) disabledOnce(t *testing.T, h *bottest.Harness, names ...string) {
	t.Helper()
	hd.counts.mu.Lock()
	defer hd.counts.mu.Unlock()
	for _, n := range names {
		if hd.counts.n[n] != 1 {
			t.Errorf("%s disabled %d times; want exactly once", n, hd.counts.n[n])
		}
		if u, _ := h.User(n); u.Enabled {
			t.Errorf("%s is still enabled on moto", n)
		}
	}
}

// singleOutcome waits until username has exactly one audited disable attempt
// with an outcome, and returns it.
func singleOutcome(t *testing.T, h *bottest.Harness, username string) audit.Entry {
	t.Helper()
	var last []audit.Entry
	h.Eventually(username+"'s disable has an audited outcome", func() bool {
		last = bottest.Executions(h.AuditFor(username, 1), string(actions.Disable))
		return len(last) == 1 && last[0].Outcome != audit.OutcomePending
	})
	return last[0]
}

// Socket Mode drops while a disable is inside its Cognito call: the bot
// reconnects, the action finishes once, its answer reaches the person (over
// the Web API, which needs no socket) and its outcome is audited; the next
// command comes in over the new connection.
func TestFaultSocketModeDroppedMidActionFinishesTheAction(t *testing.T) {
	hd := newHeldDisable()
	h := bottest.New(t, &bottest.Options{Wire: true, WrapUsers: hd.wrap()})
	h.CreateUser("sockdrop", "sockdrop@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable sockdrop"), 1)
	click := h.Click(prompt, "confirm:yes", bottest.Support)
	hd.waitHeld(t, h)

	before := h.Slack.ConnectionsOpened()
	h.Slack.DropConnections()
	waitReconnect(t, h, before+1)
	close(hd.release)

	if answer := h.Reply(click, 1); !bottest.Contains(answer, "sockdrop") || bottest.Contains(answer, "nothing was done") {
		t.Errorf("the answer to the click should report the disable:\n%s", bottest.Text(answer))
	}
	hd.disabledOnce(t, h, "sockdrop")
	if e := singleOutcome(t, h, "sockdrop"); e.Outcome != audit.OutcomeOK {
		t.Errorf("the disable is audited as %s: %s", e.Outcome, e.Message)
	}
	if card := h.Reply(h.Command(bottest.Support, "lookup sockdrop"), 1); !bottest.Contains(card, "sockdrop@example.com") {
		t.Errorf("no answer over the new connection:\n%s", bottest.Text(card))
	}
}

// Socket Mode drops twice while a bulk job runs: the job does not depend on
// the socket, so every target is disabled once, audited, and the job says all
// done.
func TestFaultSocketModeDroppedMidBulkJobLosesNoTarget(t *testing.T) {
	counts := &disableCounts{n: map[string]int{}}
	h := bottest.New(t, &bottest.Options{Wire: true,
		Configure: func(c *config.Config) { c.Quotas.UserUpdate = 10 },
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return countingDisables{d, counts} }})
	names := createBulkUsers(h, "sockbulk", 16)
	jobID := confirmBulkDisable(t, h, names)

	for i, after := range []int{3, 8} {
		h.Eventually("targets done before the drop", func() bool { return targetsIn(t, h, jobID)[audit.TargetDone] >= after })
		before := h.Slack.ConnectionsOpened()
		h.Slack.DropConnections()
		waitReconnect(t, h, before+1)
		t.Logf("drop %d with %v", i+1, targetsIn(t, h, jobID))
	}
	expectBulkAllDone(t, h, jobID, names)
	counts.mu.Lock()
	defer counts.mu.Unlock()
	for _, n := range names {
		if counts.n[n] != 1 {
			t.Errorf("%s disabled %d times; want exactly once", n, counts.n[n])
		}
	}
}

// expectBulkAllDone waits for the job's results and checks that every target
// is done, disabled on moto, audited once by the job with an OK outcome, and
// that the progress message says so.
func expectBulkAllDone(t *testing.T, h *bottest.Harness, jobID string, names []string) {
	t.Helper()
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
		onlyJobEntry(t, h, jobID, n)
		if u, _ := h.User(n); u.Enabled {
			t.Errorf("%s is still enabled on moto", n)
		}
	}
	for i, e := range jobEntries(t, h, jobID, len(names)) {
		if e.Outcome != audit.OutcomeOK || e.Target.Username != names[i] {
			t.Errorf("target %d audited as %s about %q: %s", i, e.Outcome, e.Target.Username, e.Message)
		}
	}
	h.WaitMessage("finished progress message: all done", func(m slackemu.Message) bool {
		return bottest.Contains(m, "Bulk disable") && bottest.Contains(m, "finished") &&
			bottest.Contains(m, "done · ❌ 0 failed")
	})
}

// DynamoDB becomes unreachable while a bulk job runs, then comes back: the
// runner cannot write intents, outcomes or its lease meanwhile, and must
// neither skip a target nor run one twice; once DynamoDB is back the job
// finishes with every target done and audited.
func TestFaultDynamoDBUnreachableMidBulkJobLosesNoTarget(t *testing.T) {
	counts := &disableCounts{n: map[string]int{}}
	h := bottest.New(t, &bottest.Options{DynamoDBProxy: true,
		Configure: func(c *config.Config) { c.Quotas.UserUpdate = 10 },
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return countingDisables{d, counts} }})
	names := createBulkUsers(h, "ddbdown", 16)
	jobID := confirmBulkDisable(t, h, names)

	h.Eventually("four targets done", func() bool { return targetsIn(t, h, jobID)[audit.TargetDone] >= 4 })
	h.Proxy.SetDown(true)
	// Long enough for the runner to meet the outage several times and for
	// its one-second lease to run out.
	h.Eventually("the bot meeting the outage", func() bool { return h.Proxy.Refused() >= 20 })
	during := targetsIn(t, h, jobID)
	h.Proxy.SetDown(false)
	t.Logf("DynamoDB was down with %v; %d connections refused", during, h.Proxy.Refused())

	expectBulkAllDone(t, h, jobID, names)
	counts.mu.Lock()
	defer counts.mu.Unlock()
	for _, n := range names {
		if counts.n[n] != 1 {
			t.Errorf("%s disabled %d times; want exactly once", n, counts.n[n])
		}
	}
}

// DynamoDB becomes unreachable while a disable is inside its Cognito call,
// after its intent was written, and comes back a moment later: the disable is
// done once, and its known outcome is written once DynamoDB answers again
// (the pipeline tries for 3 s) —
// not left to the sweeper, which could only call it "outcome unknown" — so the
// person is told it was done, the audit log says OK and the request is DONE.
func TestFaultDynamoDBUnreachableMidActionStillRecordsTheOutcome(t *testing.T) {
	hd := newHeldDisable()
	h := bottest.New(t, &bottest.Options{DynamoDBProxy: true, WrapUsers: hd.wrap()})
	h.CreateUser("ddbmid", "ddbmid@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable ddbmid"), 1)
	id := buttonValue(t, prompt, "confirm:yes")
	click := h.Click(prompt, "confirm:yes", bottest.Support)
	hd.waitHeld(t, h)

	h.Proxy.SetDown(true)
	refused := h.Proxy.Refused()
	close(hd.release)
	// The outcome write meets the outage (and tries again) before it ends.
	h.Eventually("the outcome write meeting the outage", func() bool { return h.Proxy.Refused() >= refused+3 })
	h.Proxy.SetDown(false)

	answer := h.Reply(click, 1)
	if !bottest.Contains(answer, "Disabled") || bottest.Contains(answer, "could not be written") {
		t.Errorf("the answer should say the disable was done and recorded:\n%s", bottest.Text(answer))
	}
	hd.disabledOnce(t, h, "ddbmid")
	if e := singleOutcome(t, h, "ddbmid"); e.Outcome != audit.OutcomeOK {
		t.Errorf("the disable is audited as %s: %s", e.Outcome, e.Message)
	}
	ctx, cancel := h.Timeout()
	defer cancel()
	if p, err := h.State.Get(ctx, id); err != nil || p.State != audit.StateDone {
		t.Errorf("the request is %s (err %v); want DONE", p.State, err)
	}
}

// cognitoFaults are the two ways the proxy in front of moto refuses a request
// without passing it on.
var cognitoFaults = []struct {
	name string
	opts func(*bottest.Options)
}{
	{"InternalError500", func(o *bottest.Options) { o.CognitoErrors = 1.0 / 3 }},
	{"Throttling", func(o *bottest.Options) { o.CognitoThrottle = 1.0 / 4 }},
}

// Cognito answers every third request with a 500, or every fourth with a
// throttle: single disables still reach Cognito exactly once each (counted at the proxy),
// answer done, and are audited OK.
func TestFaultCognitoRefusingSingleActionsDoesEachOnce(t *testing.T) {
	for _, fault := range cognitoFaults {
		t.Run(fault.name, func(t *testing.T) {
			opts := &bottest.Options{}
			fault.opts(opts)
			h := bottest.New(t, opts)
			names := []string{"refused0", "refused1", "refused2"}
			for _, n := range names {
				h.CreateUser(n, n+"@example.com")
			}
			for _, n := range names {
				prompt := h.Reply(h.Command(bottest.Support, "disable "+n), 1)
				answer := h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
				if !bottest.Contains(answer, "Disabled") {
					t.Errorf("%s: the answer should say it was disabled:\n%s", n, bottest.Text(answer))
				}
			}
			for _, n := range names {
				if got := h.Throttle.Forwarded("AdminDisableUser", n); got != 1 {
					t.Errorf("%s: %d disables reached Cognito; want exactly 1", n, got)
				}
				if u, _ := h.User(n); u.Enabled {
					t.Errorf("%s is still enabled on moto", n)
				}
				if e := singleOutcome(t, h, n); e.Outcome != audit.OutcomeOK {
					t.Errorf("%s: the disable is audited as %s: %s", n, e.Outcome, e.Message)
				}
			}
			if h.Throttle.Refused() == 0 {
				t.Fatal("the proxy refused nothing; the test tested nothing")
			}
			t.Logf("the proxy refused %d of %d Cognito requests", h.Throttle.Refused(), h.Throttle.Requests())
		})
	}
}

// Cognito answers every third request with a 500, or every fourth with a
// throttle, while a bulk job runs: every target reaches Cognito exactly once, is done and audited.
func TestFaultCognitoRefusingMidBulkJobLosesNoTarget(t *testing.T) {
	for _, fault := range cognitoFaults {
		t.Run(fault.name, func(t *testing.T) {
			opts := &bottest.Options{}
			fault.opts(opts)
			h := bottest.New(t, opts)
			names := createBulkUsers(h, "refusedbulk", 10)
			jobID := confirmBulkDisable(t, h, names)
			expectBulkAllDone(t, h, jobID, names)
			for _, n := range names {
				if got := h.Throttle.Forwarded("AdminDisableUser", n); got != 1 {
					t.Errorf("%s: %d disables reached Cognito; want exactly 1", n, got)
				}
			}
			if h.Throttle.Refused() == 0 {
				t.Fatal("the proxy refused nothing; the test tested nothing")
			}
			t.Logf("the proxy refused %d of %d Cognito requests", h.Throttle.Refused(), h.Throttle.Requests())
		})
	}
}

// The replica running a disable stops (as a killed process does) while the
// action is inside its Cognito call: the call never leaves it, and the other
// replica closes the action by reading the user back — still enabled, so the
// request FAILED, the intent audited as definitely not done, the requester told
// to run it again — instead of leaving it open, calling it "outcome unknown" or
// running it again by itself. The person's next request works.
func TestFaultReplicaStoppedMidActionLeavesAnAuditedOutcome(t *testing.T) {
	hd := newHeldDisable()
	h := bottest.New(t, &bottest.Options{Replicas: 2, Wire: true, WrapUsers: hd.wrap(), ExecutingTimeout: time.Second})
	h.CreateUser("replstop", "replstop@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable replstop"), 1)
	id := buttonValue(t, prompt, "confirm:yes")
	h.Click(prompt, "confirm:yes", bottest.Support)
	stopped := hd.waitHeld(t, h)
	h.StopReplica(stopped)
	close(hd.release)

	dm := h.WaitMessage("DM about the outcome", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Support) && bottest.Contains(m, "replstop")
	})
	if !bottest.Contains(dm, "run it again") || bottest.Contains(dm, "outcome was known") {
		t.Errorf("the DM should say definitely not done:\n%s", bottest.Text(dm))
	}
	if e := singleOutcome(t, h, "replstop"); e.Outcome != audit.OutcomeError || !strings.HasPrefix(e.Message, "not done") {
		t.Errorf("the intent is audited as %s: %q; want not done, read back", e.Outcome, e.Message)
	}
	ctx, cancel := h.Timeout()
	defer cancel()
	if p, err := h.State.Get(ctx, id); err != nil || p.State != audit.StateFailed {
		t.Errorf("the request is %s (err %v); want FAILED", p.State, err)
	}
	hd.counts.mu.Lock()
	if n := hd.counts.n["replstop"]; n != 0 {
		t.Errorf("the stopped replica's disable reached Cognito %d times; its network was cut", n)
	}
	hd.counts.mu.Unlock()
	if u, _ := h.User("replstop"); !u.Enabled {
		t.Error("nobody should have disabled replstop by themselves after the stop")
	}

	again := h.Reply(h.Command(bottest.Support, "disable replstop"), 1)
	if answer := h.Reply(h.Click(again, "confirm:yes", bottest.Support), 1); !bottest.Contains(answer, "Disabled") {
		t.Errorf("the surviving replica should take the new request:\n%s", bottest.Text(answer))
	}
	hd.disabledOnce(t, h, "replstop")
}
