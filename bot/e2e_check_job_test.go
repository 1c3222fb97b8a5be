package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// checkMessage waits for the requester's check progress message showing its
// Cancel button and returns it with the job id the button carries.
func checkMessage(h *bottest.Harness, user string) (slackemu.Message, string) {
	h.T.Helper()
	m := h.WaitMessage("the check's progress message with Cancel", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(user) && bottest.Contains(m, "Dry run of bulk") && len(m.Buttons()) > 0
	})
	for _, b := range m.Buttons() {
		if b.ActionID == bulkview.ActionIDBulkCancel {
			return m, b.Value
		}
	}
	h.T.Fatalf("the check's message has no Cancel button:\n%s", bottest.Text(m))
	return m, ""
}

// isDraftCard is a dry run's draft: the card with its Confirm button.
func isDraftCard(m slackemu.Message) bool {
	return bottest.Contains(m, "Dry run:") && slices.ContainsFunc(m.Buttons(), func(b slackemu.Button) bool { return b.ActionID == bulkview.ActionIDBulkConfirm })
}

// A filtered dry run is a background job: its progress message in the
// requester's DM says it is checking, with a Cancel button, and is updated in
// place to finished with the users read; the command's answer is the same
// draft card as before, and the check's job finishes once.
func TestFilteredDryRunShowsProgressAndEndsInTheDraft(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas, WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	for i := range 130 {
		h.CreateUser(fmt.Sprintf("dp%03d", i), fmt.Sprintf("dp%03d@example.com", i))
	}
	first := h.Command(bottest.Admin, "bulk disable --enabled")
	waitHeld(t, entered)
	running, id := checkMessage(h, bottest.Admin)
	if !bottest.Contains(running, "checking") || !bottest.Contains(running, "0 users read") {
		t.Errorf("the progress message should say it is checking:\n%s", bottest.Text(running))
	}
	close(release)
	dry := h.Reply(first, 1)
	if !isDraftCard(dry) || !bottest.Contains(dry, "130 matched") {
		t.Errorf("the dry run's answer should be its draft card:\n%s", bottest.Text(dry))
	}
	final := h.WaitMessage("the same message updated to finished", func(m slackemu.Message) bool {
		return m.Channel == running.Channel && m.TS == running.TS && bottest.Contains(m, "finished") && bottest.Contains(m, "130 users read")
	})
	if len(final.Buttons()) != 0 {
		t.Error("a finished check still shows its Cancel button")
	}
	h.Eventually("the check's job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	e := auditEntry(t, h, "bulk#"+id+"#0")
	if e.Outcome != audit.OutcomeOK || !strings.Contains(e.Message, "dry run: 130 targets") {
		t.Errorf("the dry run's audit entry: %s %q", e.Outcome, e.Message)
	}
}

// Cancel stops a filtered dry run: only its requester may (another admin is
// told so), the canceller is told, the command is answered that nothing was
// done, the progress message says cancelled with no button, and no draft is
// shown.
func TestFilteredDryRunCancelStopsItWithNoDraft(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	h.CreateUser("dc1", "dc1@example.com")
	first := h.Command(bottest.Admin, "bulk disable --enabled")
	waitHeld(t, entered)
	running, id := checkMessage(h, bottest.Admin)
	refusesAnothersCancel(t, h, running, id, "check", "check")
	if ack := h.Reply(h.Click(running, bulkview.ActionIDBulkCancel, bottest.Admin), 1); !bottest.Contains(ack, "Cancelling the check") {
		t.Errorf("the canceller's answer:\n%s", bottest.Text(ack))
	}
	if done := h.Reply(first, 1); !bottest.Contains(done, "The check was cancelled. Nothing was done.") {
		t.Errorf("the dry run's answer after Cancel:\n%s", bottest.Text(done))
	}
	m := h.WaitMessage("the progress message saying cancelled", func(m slackemu.Message) bool {
		return m.TS == running.TS && bottest.Contains(m, "cancelled")
	})
	if len(m.Buttons()) != 0 {
		t.Error("a cancelled check still shows its Cancel button")
	}
	if j := h.Job(id); j.State != audit.JobCancelled {
		t.Errorf("job state %s; want CANCELLED", j.State)
	}
	close(release)
	h.Stop()
	if drafts := h.Slack.Messages(isDraftCard); len(drafts) != 0 {
		t.Errorf("%d draft cards after Cancel; want none", len(drafts))
	}
	if n := len(h.Slack.ResponsePosts(first.ResponseURL)); n != 1 {
		t.Errorf("%d answers to the command; want only the cancel notice", n)
	}
}

// When the replica running a filtered dry run dies mid-way, its lease lapses
// and the other replica runs it again from the beginning: one draft card is
// shown, where the command was typed; the dead runner's audit intent is
// closed as unknown and the new attempt's entry says what it found.
func TestFilteredDryRunIsTakenOverWhenItsReplicaDies(t *testing.T) {
	t.Parallel()
	h, entered := dyingReplicaWorld(t, stallOnList)
	for i := range 70 {
		h.CreateUser(fmt.Sprintf("dt%03d", i), fmt.Sprintf("dt%03d@example.com", i))
	}
	h.Command(bottest.Admin, "bulk disable --enabled")
	var died int32
	ctx, cancel := h.Timeout()
	defer cancel()
	select {
	case died = <-entered:
	case <-ctx.Done():
		t.Fatal("no replica started the dry run")
	}
	running, id := checkMessage(h, bottest.Admin)
	draft := h.WaitMessage("the draft card", isDraftCard)
	if draft.Channel != bottest.Channel || !bottest.Contains(draft, "70 matched") {
		t.Errorf("the draft after the takeover, in %s:\n%s", draft.Channel, bottest.Text(draft))
	}
	h.Eventually("the check's job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	h.WaitMessage("the progress message updated to finished", func(m slackemu.Message) bool {
		return m.TS == running.TS && bottest.Contains(m, "finished") && bottest.Contains(m, "70 users read")
	})
	h.Stop()
	if drafts := h.Slack.Messages(isDraftCard); len(drafts) != 1 {
		t.Errorf("%d draft cards; want exactly one", len(drafts))
	}
	stopped := auditEntry(t, h, "bulk#"+id+"#0")
	if stopped.Outcome != audit.OutcomeError || !strings.Contains(stopped.Message, "starts again from the beginning") {
		t.Errorf("the dead runner's entry: %s %q", stopped.Outcome, stopped.Message)
	}
	survivor := bottest.ReplicaName(int(1 - died))
	again := auditEntry(t, h, "bulk#"+id+"#0#"+survivor)
	if again.Outcome != audit.OutcomeOK || !strings.Contains(again.Message, "dry run: 70 targets") {
		t.Errorf("the takeover's entry: %s %q", again.Outcome, again.Message)
	}
}

// On moto and DynamoDB Local: the replica running a filtered dry run is
// stopped mid-way (h.StopReplica: its network is cut, as if its process
// died); the other replica takes the check over when the lease lapses and
// runs it again. One draft card is shown and the check's job finishes once.
func TestFilteredDryRunIsTakenOverWhenItsReplicaIsStoppedWire(t *testing.T) {
	t.Parallel()
	h, started := stoppedReplicaWireWorld(t, "dw")
	h.Command(bottest.Admin, "bulk disable --enabled")
	died := started("dry run")
	_, id := checkMessage(h, bottest.Admin)
	h.StopReplica(died)
	if draft := h.WaitMessage("the draft card", isDraftCard); !bottest.Contains(draft, "70 matched") {
		t.Errorf("the draft after the takeover:\n%s", bottest.Text(draft))
	}
	h.Eventually("the check's job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	h.Stop()
	if drafts := h.Slack.Messages(isDraftCard); len(drafts) != 1 {
		t.Errorf("%d draft cards; want exactly one", len(drafts))
	}
	if e := auditEntry(t, h, "bulk#"+id+"#0"); e.Outcome != audit.OutcomeError {
		t.Errorf("the stopped runner's entry: %s %q; want closed as unknown", e.Outcome, e.Message)
	}
	if e := auditEntry(t, h, "bulk#"+id+"#0#"+bottest.ReplicaName(1-died)); e.Outcome != audit.OutcomeOK {
		t.Errorf("the takeover's entry: %s %q", e.Outcome, e.Message)
	}
}
