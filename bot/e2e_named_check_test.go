package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// seedNamed seeds n users (in memory) named prefix000… and returns their names.
func seedNamed(t *testing.T, h *bottest.Harness, prefix string, n int) []string {
	t.Helper()
	var names []string
	for i := range n {
		name := fmt.Sprintf("%s%03d", prefix, i)
		seed(t, h, memdir.SeedUser{Username: name, Email: name + "@example.com"})
		names = append(names, name)
	}
	return names
}

// A dry run of more than 200 named users is a check job, as a filtered one
// is: the command is told it is under way, a progress message with Cancel in
// the requester's DM is updated in place to finished with the users checked,
// and the command's answer is the same draft card as before.
func TestNamedDryRunOfManyUsersShowsProgressAndEndsInTheDraft(t *testing.T) {
	t.Parallel()
	g := newGate(0)
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas,
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return heldReads{d, g} }})
	defer g.Open()
	names := seedNamed(t, h, "np", 201)
	d := h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " "))
	if first := h.Reply(d, 1); !bottest.Contains(first, "Checking 201 users") {
		t.Fatalf("the requester should be told the dry run is under way:\n%s", bottest.Text(first))
	}
	running, id := checkMessage(h, bottest.Admin)
	if !bottest.Contains(running, "checking") || !bottest.Contains(running, "201 users named") {
		t.Errorf("the progress message should say it is checking the named users:\n%s", bottest.Text(running))
	}
	if j := h.Job(id); j.State != audit.JobRunning {
		t.Errorf("the check's job is %s; want RUNNING", j.State)
	}
	g.Open()
	if dry := h.Reply(d, 2); !isDraftCard(dry) || !bottest.Contains(dry, "201 matched") {
		t.Errorf("the dry run's answer should be its draft card:\n%s", bottest.Text(dry))
	}
	h.WaitMessage("the same message updated to finished", func(m slackemu.Message) bool {
		return m.Channel == running.Channel && m.TS == running.TS && bottest.Contains(m, "finished") && bottest.Contains(m, "201 users read")
	})
	h.Eventually("the check's job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	if e := auditEntry(t, h, "bulk#"+id+"#0"); e.Outcome != audit.OutcomeOK || !strings.Contains(e.Message, "dry run: 201 targets") {
		t.Errorf("the dry run's audit entry: %s %q", e.Outcome, e.Message)
	}
}

// Cancel stops a dry run of many named users: the command is answered that
// nothing was done, the progress message says cancelled, and no draft is
// shown.
func TestNamedDryRunCancelStopsItWithNoDraft(t *testing.T) {
	t.Parallel()
	g := newGate(0)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return heldReads{d, g} }})
	defer g.Open()
	names := seedNamed(t, h, "nc", 201)
	d := h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " "))
	h.Reply(d, 1)
	running, id := checkMessage(h, bottest.Admin)
	if ack := h.Reply(h.Click(running, bulkview.ActionIDBulkCancel, bottest.Admin), 1); !bottest.Contains(ack, "Cancelling the check") {
		t.Errorf("the canceller's answer:\n%s", bottest.Text(ack))
	}
	if done := h.Reply(d, 2); !bottest.Contains(done, "The check was cancelled. Nothing was done.") {
		t.Errorf("the dry run's answer after Cancel:\n%s", bottest.Text(done))
	}
	h.WaitMessage("the progress message saying cancelled", func(m slackemu.Message) bool {
		return m.TS == running.TS && bottest.Contains(m, "cancelled")
	})
	if j := h.Job(id); j.State != audit.JobCancelled {
		t.Errorf("job state %s; want CANCELLED", j.State)
	}
	g.Open()
	h.Stop()
	if drafts := h.Slack.Messages(isDraftCard); len(drafts) != 0 {
		t.Errorf("%d draft cards after Cancel; want none", len(drafts))
	}
}

// The names of a dry run are kept with its job: when the replica running it
// dies, the other replica reads them back and ends in the same draft card,
// once, for every name.
func TestNamedDryRunIsTakenOverWithItsNames(t *testing.T) {
	t.Parallel()
	h, entered := dyingReplicaWorld(t, stallOnGet)
	names := seedNamed(t, h, "nt", 230)
	h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " "))
	ctx, cancel := h.Timeout()
	defer cancel()
	select {
	case <-entered:
	case <-ctx.Done():
		t.Fatal("no replica started the dry run")
	}
	_, id := checkMessage(h, bottest.Admin)
	if draft := h.WaitMessage("the draft card", isDraftCard); !bottest.Contains(draft, "230 matched") {
		t.Errorf("the draft after the takeover:\n%s", bottest.Text(draft))
	}
	h.Eventually("the check's job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	h.Stop()
	if drafts := h.Slack.Messages(isDraftCard); len(drafts) != 1 {
		t.Errorf("%d draft cards; want exactly one", len(drafts))
	}
}

// One long check per person across the deployment: while a dry run of many
// named users runs on one replica, the same person's second, taken by the
// other replica, is turned away with a sentence; once the first has ended a
// new one starts.
func TestLongCheckOnePerPersonAcrossReplicas(t *testing.T) {
	t.Parallel()
	longCheckOnePerPersonAcrossReplicas(t, false)
}

// The same on moto and DynamoDB Local, two replicas on the wire.
func TestLongCheckOnePerPersonAcrossReplicasWire(t *testing.T) {
	t.Parallel()
	longCheckOnePerPersonAcrossReplicas(t, true)
}

func longCheckOnePerPersonAcrossReplicas(t *testing.T, wire bool) {
	g := newGate(0)
	h := bottest.New(t, &bottest.Options{Replicas: 2, Wire: wire,
		Configure: fastQuotas,
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return heldReads{d, g} }})
	defer g.Open()
	h.CreateUser("oc000", "oc000@example.com")
	names := []string{"oc000"}
	for i := 1; i <= 200; i++ {
		names = append(names, fmt.Sprintf("absent%03d", i)) // not found: skipped
	}
	cmd := "bulk disable " + strings.Join(names, " ")
	first := h.Command(bottest.Admin, cmd)
	h.Reply(first, 1)
	running, id := checkMessage(h, bottest.Admin)
	second := h.Command(bottest.Admin, cmd)
	if second.Connection == first.Connection {
		t.Fatalf("both commands went to replica connection %d; the test needs the other replica", first.Connection)
	}
	if answer := h.Reply(second, 1); !bottest.Contains(answer, "already have a long check running") {
		t.Errorf("a second long check of the same person on another replica should be turned away:\n%s", bottest.Text(answer))
	}
	g.Open()
	if dry := h.Reply(first, 2); !isDraftCard(dry) {
		t.Errorf("the first dry run's answer:\n%s", bottest.Text(dry))
	}
	h.WaitMessage("the first check's message updated to finished", func(m slackemu.Message) bool {
		return m.TS == running.TS && bottest.Contains(m, "finished")
	})
	if j := h.Job(id); j.State != audit.JobFinished {
		t.Errorf("the first job is %s; want FINISHED", j.State)
	}
	third := h.Command(bottest.Admin, cmd)
	if started := h.Reply(third, 1); !bottest.Contains(started, "Checking 201 users") {
		t.Errorf("a check after the first ended should start:\n%s", bottest.Text(started))
	}
	if dry := h.Reply(third, 2); !isDraftCard(dry) {
		t.Errorf("the third dry run's answer:\n%s", bottest.Text(dry))
	}
}
