package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// manyImportLines is an import CSV of n new users (more than a long check's
// threshold when n > 200).
func manyImportLines(prefix string, n int, extra ...string) string {
	lines := []string{"username,email,name"}
	for i := range n {
		lines = append(lines, fmt.Sprintf("%s%03d,%s%03d@example.com,User %d", prefix, i, prefix, i, i))
	}
	return strings.Join(append(lines, extra...), "\n")
}

// importCheckMessage waits for the requester's import check progress message
// in the state match wants and returns it with its job id.
func importCheckMessage(h *bottest.Harness, user string, match func(slackemu.Message) bool) slackemu.Message {
	h.T.Helper()
	return h.WaitMessage("the import check's progress message", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(user) && bottest.Contains(m, "Check of the import users.csv") && match(m)
	})
}

// An import of many lines is checked as a background job: the command says
// the check is under way, as before; its progress message in the DM is
// updated in place to finished with the lines read; the problems report is
// the same as for a short file.
func TestLongImportCheckRunsAsAJobAndReportsProblems(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas})
	h.CreateUser("taken", "taken@example.com")
	d := h.Command(bottest.Admin, "import --reason onboarding")
	view := waitView(t, h, 1)
	f := h.Slack.PutFileBy(bottest.Admin, "users.csv", []byte(manyImportLines("li", 210, "taken,taken2@example.com,Taken")))
	submit(t, h, view, bottest.Admin, map[string]map[string]string{bulkview.BlockIDFile: {bulkview.FileActionID: f.ID}})
	if first := h.Reply(d, 1); !bottest.Contains(first, "Checking 211 users") {
		t.Errorf("the import's first answer:\n%s", bottest.Text(first))
	}
	report := h.Reply(d, 2)
	for _, want := range []string{"Nothing was imported", "1 problem", "line 212:", "already exists"} {
		if !bottest.Contains(report, want) {
			t.Errorf("the report does not say %q:\n%s", want, bottest.Text(report))
		}
	}
	final := importCheckMessage(h, bottest.Admin, func(m slackemu.Message) bool {
		return bottest.Contains(m, "finished") && bottest.Contains(m, "211 users read")
	})
	if len(final.Buttons()) != 0 {
		t.Error("a finished check still shows its Cancel button")
	}
	if _, exists := h.User("li000"); exists {
		t.Error("the check created a user")
	}
}

// stallFirstGet is stallFirst for GetUser: the first replica to read a user
// marks itself dead and never returns, as if its process were killed.
type stallFirstGet struct {
	pipeline.Directory
	me      int32
	first   *atomic.Int32
	dead    *atomic.Bool
	entered chan int32
	lapse   func()
}

func (s stallFirstGet) GetUser(ctx context.Context, poolID, username string) (*cognito.User, error) {
	if s.first.CompareAndSwap(-1, s.me) {
		died(s.dead, s.lapse)
		s.entered <- s.me
	}
	if s.first.Load() == s.me {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.Directory.GetUser(ctx, poolID, username)
}

// When the replica checking a long import dies mid-way, the other replica
// takes the check over: it downloads the file again from Slack, checks every
// line and shows one plan with its Confirm button; the dead runner's intent
// is closed as unknown.
func TestLongImportCheckIsTakenOverAndReadsTheFileAgain(t *testing.T) {
	t.Parallel()
	h, entered := dyingReplicaWorld(t, stallOnGet)
	h.Command(bottest.Admin, "import --reason onboarding")
	view := waitView(t, h, 1)
	f := h.Slack.PutFileBy(bottest.Admin, "users.csv", []byte(manyImportLines("lt", 205)))
	submit(t, h, view, bottest.Admin, map[string]map[string]string{bulkview.BlockIDFile: {bulkview.FileActionID: f.ID}})
	ctx, cancel := h.Timeout()
	defer cancel()
	select {
	case <-entered:
	case <-ctx.Done():
		t.Fatal("no replica started the check")
	}
	running := importCheckMessage(h, bottest.Admin, func(m slackemu.Message) bool { return len(m.Buttons()) > 0 })
	id := running.Buttons()[0].Value
	isPlan := func(m slackemu.Message) bool {
		return bottest.Contains(m, "205 to import") &&
			slices.ContainsFunc(m.Buttons(), func(b slackemu.Button) bool { return b.ActionID == bulkview.ActionIDBulkConfirm })
	}
	plan := h.WaitMessage("the import's plan", isPlan)
	if plan.Channel != bottest.Channel {
		t.Errorf("the plan was shown in %s; want where the command was typed", plan.Channel)
	}
	importCheckMessage(h, bottest.Admin, func(m slackemu.Message) bool {
		return bottest.Contains(m, "finished") && bottest.Contains(m, "205 users read")
	})
	h.Stop()
	if plans := h.Slack.Messages(isPlan); len(plans) != 1 {
		t.Errorf("%d plans; want exactly one", len(plans))
	}
	if stopped := auditEntry(t, h, "bulk#"+id+"#0"); stopped.Outcome != audit.OutcomeError ||
		!strings.Contains(stopped.Message, "starts again from the beginning") {
		t.Errorf("the dead runner's entry: %s %q", stopped.Outcome, stopped.Message)
	}
}
