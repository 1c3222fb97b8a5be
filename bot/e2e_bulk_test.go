package bot_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// resultsCSV waits for the bot to share a results file and parses it.
func resultsCSV(t *testing.T, h *bottest.Harness) (slackemu.File, [][]string) {
	t.Helper()
	var f slackemu.File
	ctx, cancel := h.Timeout()
	defer cancel()
	if err := h.Slack.Wait(ctx, func() bool {
		files := h.Slack.Files()
		if len(files) == 0 {
			return false
		}
		f = files[0]
		return true
	}); err != nil {
		t.Fatalf("no results file: %v", err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(f.Content))).ReadAll()
	if err != nil {
		t.Fatalf("results CSV: %v\n%s", err, f.Content)
	}
	return f, rows
}

func TestBulkDisableDryRunThenConfirmUpdatesProgressAndSendsEveryRow(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas})
	var names []string
	for i := range 12 {
		name := fmt.Sprintf("bulk%02d", i)
		h.CreateUser(name, name+"@example.com")
		names = append(names, name)
	}
	ctx := context.Background()
	for _, n := range names[:2] {
		if _, err := h.Users.DisableUser(bottest.Fixture(ctx), h.Pool.ID, n); err != nil {
			t.Fatal(err)
		}
	}
	// The third user is named by email; "nobody" matches no one.
	inputs := append([]string{names[0], names[1], names[2] + "@example.com"}, names[3:]...)
	d := h.Command(bottest.Admin, "bulk disable "+strings.Join(inputs, " ")+" nobody")
	dry := h.Reply(d, 1)
	for _, want := range []string{"13 matched", "10 to disable", "3 skipped", "already disabled", "nobody — not found", "Disable 10 users"} {
		if !bottest.Contains(dry, want) {
			t.Errorf("dry run does not say %q:\n%s", want, bottest.Text(dry))
		}
	}
	if u, _ := h.User(names[5]); !u.Enabled {
		t.Fatal("the dry run disabled someone")
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	f, rows := resultsCSV(t, h)
	if !strings.HasPrefix(f.Channel, "D") || !strings.HasSuffix(f.Name, ".csv") {
		t.Errorf("results file %q shared in %q; want a CSV in a DM", f.Name, f.Channel)
	}
	if strings.Join(rows[0], ",") != "username,sub,action,outcome,error" || len(rows) != 14 {
		t.Fatalf("CSV header %v and %d rows; want the header and 13 rows", rows[0], len(rows)-1)
	}
	for i, row := range rows[1:] {
		username, sub, action, outcome, errText := row[0], row[1], row[2], row[3], row[4]
		switch {
		case i == 12:
			if username != "nobody" || outcome != "skipped" || errText != "not found" || sub != "" {
				t.Errorf("row %d = %v; want nobody skipped as not found", i, row)
			}
		case i < 2:
			if username != names[i] || outcome != "skipped" || errText != "already disabled" {
				t.Errorf("row %d = %v; want %s skipped as already disabled", i, row, names[i])
			}
		default:
			u, _ := h.User(names[i])
			if username != names[i] || sub != u.Sub || action != "disable" || outcome != "done" || errText != "" {
				t.Errorf("row %d = %v; want %s done with sub %s", i, row, names[i], u.Sub)
			}
			if u.Enabled {
				t.Errorf("%s is still enabled", names[i])
			}
		}
	}
	progress := h.WaitMessage("finished progress message", func(m slackemu.Message) bool {
		return bottest.Contains(m, "Bulk disable") && bottest.Contains(m, "finished")
	})
	if !bottest.Contains(progress, "10 done") || len(progress.Buttons()) != 0 {
		t.Errorf("final progress:\n%s", bottest.Text(progress))
	}
	if len(h.Slack.Calls("chat.update")) < 1 {
		t.Error("the progress message was never updated in place")
	}
	for _, n := range names[2:] {
		var jobEntries int
		for _, e := range h.AuditFor(n, 1) {
			if e.Params["job"] != "" && e.Action == "disable" {
				jobEntries++
			}
		}
		if jobEntries != 1 {
			t.Errorf("%s has %d job audit entries; want exactly 1", n, jobEntries)
		}
	}
}

func TestBulkCancelStopsTheJobAndReportsWhatDidNotRun(t *testing.T) {
	t.Parallel()
	// The first disable goes through; the rest wait at the gate until the
	// cancel is taken, so the job is part-way when it is cancelled however
	// slow the machine. Every settled target is shown at once.
	g := newGate(1)
	h := bottest.New(t, &bottest.Options{BulkProgressEvery: time.Nanosecond, Configure: fastQuotas,
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return heldDisables{d, g} }})
	defer g.Open()
	var names []string
	for i := range 20 {
		name := fmt.Sprintf("slow%02d", i)
		h.CreateUser(name, name+"@example.com")
		names = append(names, name)
	}
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " ")), 1)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	running := h.WaitMessage("progress with a cancel button", func(m slackemu.Message) bool {
		return bottest.Contains(m, "running") && bottest.Contains(m, "1 done")
	})
	if ack := h.Reply(h.Click(running, bulkview.ActionIDBulkCancel, bottest.Admin), 1); !bottest.Contains(ack, "Cancelling") {
		t.Fatalf("the cancel was not taken:\n%s", bottest.Text(ack))
	}
	g.Open()
	_, rows := resultsCSV(t, h)
	done, notRun := 0, 0
	for _, row := range rows[1:] {
		switch row[3] {
		case "done":
			done++
		case "not run":
			notRun++
		}
	}
	if done == 0 || notRun == 0 || done+notRun != 20 {
		t.Fatalf("%d done and %d not run; want the job stopped part-way", done, notRun)
	}
	disabled := 0
	for _, n := range names {
		if u, _ := h.User(n); !u.Enabled {
			disabled++
		}
	}
	if disabled != done {
		t.Errorf("%d users disabled, the CSV says %d", disabled, done)
	}
	h.WaitMessage("cancelled progress", func(m slackemu.Message) bool { return bottest.Contains(m, "cancelled") })
}

func TestBulkNeedsTheBulkAction(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("carl", "carl@example.com")
	reply := h.Reply(h.Command(bottest.Support, "bulk disable carl"), 1)
	if bottest.Contains(reply, "Dry run") {
		t.Fatalf("support (no bulk role) got a dry run:\n%s", bottest.Text(reply))
	}
}

func TestBulkDisableOnMotoAndDynamoDB(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true})
	names := []string{"wire0", "wire1", "wire2", "wire3"}
	for _, n := range names {
		h.CreateUser(n, n+"@example.com")
	}
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " ")), 1)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	_, rows := resultsCSV(t, h)
	if len(rows) != 5 {
		t.Fatalf("%d rows; want 4", len(rows)-1)
	}
	for i, row := range rows[1:] {
		u, _ := h.User(names[i])
		if row[0] != names[i] || row[1] != u.Sub || row[3] != "done" || u.Enabled {
			t.Errorf("row %v; %s enabled=%v on moto", row, names[i], u.Enabled)
		}
	}
}

// bulk edit would fail on every user (its changes are not arguments a job can
// repeat), so it is refused up front with the list of what bulk does take.
func TestBulkRefusesActionsThatCannotRunAsAJob(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("erin", "erin@example.com")
	for _, cmd := range []string{"bulk edit erin name=x", "bulk lookup erin", "bulk forget-device KEY erin"} {
		reply := h.Reply(h.Command(bottest.Admin, cmd), 1)
		text := reply.RenderedText()
		word := strings.Fields(cmd)[1]
		if !strings.Contains(text, "`"+word+"` can't run as a bulk job; bulk takes: `disable`, `enable`") ||
			strings.Contains(text, "`edit`,") || bottest.Contains(reply, "Dry run") {
			t.Errorf("%s:\n%s", cmd, text)
		}
	}
}

// A dry run of many named users outlasts an interaction's deadline (here a
// quarter of a second, far longer than the first answer takes even under the
// race detector): the requester is told it is under way and about how long,
// and then gets the dry run. The check's reads wait at a gate that opens a
// deadline after the first answer, so past the deadline (counted from the
// command's arrival, before that answer) however fast or slow the machine.
func TestLongDryRunOutlastsTheInteractionDeadline(t *testing.T) {
	t.Parallel()
	const deadline = 250 * time.Millisecond
	g := newGate(0)
	defer g.Open()
	h := bottest.New(t, &bottest.Options{WorkTimeout: deadline, Configure: fastQuotas,
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return heldReads{d, g} }})
	var names []string
	for i := range 250 {
		name := fmt.Sprintf("many%03d", i)
		seed(t, h, memdir.SeedUser{Username: name, Email: name + "@example.com"})
		names = append(names, name)
	}
	d := h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " "))
	if first := h.Reply(d, 1); !bottest.Contains(first, "Checking 250 users") {
		t.Fatalf("the requester should be told the dry run is under way:\n%s", bottest.Text(first))
	}
	time.AfterFunc(deadline, g.Open)
	if dry := h.Reply(d, 2); !bottest.Contains(dry, "Dry run") || !bottest.Contains(dry, "250") {
		t.Fatalf("want the dry run of 250 users:\n%s", bottest.Text(dry))
	}
}

// Long checks run beside the workers, at most four at once and one per
// person: a fifth, or a person's second, is turned away with a clear answer
// rather than queued behind them for minutes.
func TestAtMostFourLongChecksAtOnce(t *testing.T) {
	t.Parallel()
	// Every read waits at the gate, so the checks started stay running until
	// the test has every answer, however slow the machine.
	g := newGate(0)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return heldReads{d, g} }, Configure: func(c *config.Config) {
		c.Quotas.UserRead = 1000
		c.Roles = append(c.Roles, config.Role{Name: "bulkers", Members: []string{bottest.Support, bottest.Approver, bottest.Approver2},
			Actions: []config.Action{actions.Lookup, actions.Disable, actions.Bulk}})
	}})
	defer g.Open()
	var names []string
	for i := range 201 {
		name := fmt.Sprintf("lot%03d", i)
		seed(t, h, memdir.SeedUser{Username: name, Email: name + "@example.com"})
		names = append(names, name)
	}
	run := func(who string) *slackemu.Delivery { return h.Command(who, "bulk disable "+strings.Join(names, " ")) }
	if first := h.Reply(run(bottest.Admin), 1); !bottest.Contains(first, "Checking 201 users") {
		t.Fatalf("the first long check should start:\n%s", bottest.Text(first))
	}
	if again := h.Reply(run(bottest.Admin), 1); !bottest.Contains(again, "already have a long check") {
		t.Errorf("a person's second long check should be turned away:\n%s", bottest.Text(again))
	}
	var sent []*slackemu.Delivery
	for _, who := range []string{bottest.Admin2, bottest.Support, bottest.Approver, bottest.Approver2} {
		sent = append(sent, run(who))
	}
	busy := 0
	for _, d := range sent {
		if bottest.Contains(h.Reply(d, 1), "Several long checks") {
			busy++
		}
	}
	if busy != 1 {
		t.Errorf("%d of 4 more people's long checks were turned away with three slots left; want 1", busy)
	}
}

// panickingReads is a directory whose reads panic.
type panickingReads struct{ pipeline.Directory }

func (panickingReads) GetUser(context.Context, string, string) (*cognito.User, error) {
	panic("a bug in a read")
}

// A panic in a long check, which runs beside the workers, is an "internal
// error" answer like a panic in a worker, not a crashed bot.
func TestPanicInALongCheckIsAnsweredAndTheBotGoesOn(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return panickingReads{d} }})
	var names []string
	for i := range 201 {
		names = append(names, fmt.Sprintf("boom%03d", i))
	}
	d := h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " "))
	if ans := h.Reply(d, 2); !bottest.Contains(ans, "Internal error") {
		t.Fatalf("want an internal error answer:\n%s", bottest.Text(ans))
	}
	if after := h.Reply(h.Command(bottest.Admin, "pools"), 1); !bottest.Contains(after, bottest.PoolName) {
		t.Fatalf("the bot should still answer:\n%s", bottest.Text(after))
	}
}
