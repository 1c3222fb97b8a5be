package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// undoWorld is a bot whose clock the test moves, on the in-memory backends or
// (wire) on moto and DynamoDB Local.
func undoWorld(t *testing.T, wire, approvals bool) (*bottest.Harness, *bottest.Clock) {
	t.Helper()
	clock := &bottest.Clock{}
	return bottest.New(t, &bottest.Options{Wire: wire, Approvals: approvals, Now: clock.Now}), clock
}

// sweep runs every replica's sweep once, as their timers would: without a
// deadline, as theirs (a real-time deadline would look long past to bots
// whose clock the test moved on, and their sweeps would close its intents).
func sweep(h *bottest.Harness) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, b := range h.Bots {
		b.Sweep(ctx)
	}
	// The bots' own sweeper may have claimed a due schedule just before, so
	// this sweep left it to them: wait until none is still running, however
	// slow the machine, so what it did is there to check.
	h.Eventually("no schedule still running", func() bool {
		running, err := h.State.StuckSchedules(ctx, time.Now().AddDate(100, 0, 0), 1)
		return err == nil && len(running) == 0
	})
}

// confirmDelete runs `delete <user> <flags>` as Admin and confirms it.
func confirmDelete(t *testing.T, h *bottest.Harness, user, flags string) slackemu.Message {
	t.Helper()
	prompt := h.Reply(h.Command(bottest.Admin, strings.TrimSpace("delete "+user+" --reason offboarding "+flags)), 1)
	if !bottest.Contains(prompt, "confirm:yes") {
		t.Fatalf("no confirm prompt for delete %s:\n%s", user, bottest.Text(prompt))
	}
	return h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
}

func entriesWithPhase(entries []audit.Entry, phase string) []audit.Entry {
	var out []audit.Entry
	for _, e := range entries {
		if e.Params["phase"] == phase {
			out = append(out, e)
		}
	}
	return out
}

// An approved delete disables and signs the user out at once and shows on
// their card and in the list; when the window ends the sweeper deletes them
// for good, with its own audit entry pointing at the request and approval.
func TestApprovedDeleteWaitsOutTheUndoWindowThenTheSweeperDeletes(t *testing.T) {
	t.Parallel()
	testApprovedDeleteThenHardDelete(t, false)
}

func TestApprovedDeleteWaitsOutTheUndoWindowThenTheSweeperDeletesWire(t *testing.T) {
	t.Parallel()
	testApprovedDeleteThenHardDelete(t, true)
}

func testApprovedDeleteThenHardDelete(t *testing.T, wire bool) {
	h, clock := undoWorld(t, wire, true)
	h.CreateUser("ivy", "ivy@example.com")
	card := requestDelete(t, h, bottest.Admin, "ivy", "")
	h.Click(card, "approval:approve", bottest.Approver)
	decided := waitCardDecided(t, h, card, "Approved")
	if !bottest.Contains(decided, "scheduled the deletion of ivy") {
		t.Errorf("the approval card does not say the deletion was scheduled:\n%s", bottest.Text(decided))
	}
	u, exists := h.User("ivy")
	if !exists || u.Enabled {
		t.Fatalf("ivy should be kept, disabled, for the undo window (exists %v)", exists)
	}
	lookup := h.Reply(h.Command(bottest.Admin, "lookup ivy"), 1)
	for _, want := range []string{"Scheduled for deletion", bottest.Admin, bottest.Approver, views.ActionIDUndo} {
		if !bottest.Contains(lookup, want) {
			t.Errorf("ivy's card does not show %q:\n%s", want, bottest.Text(lookup))
		}
	}
	if support := h.Reply(h.Command(bottest.Support, "lookup ivy"), 1); bottest.Contains(support, views.ActionIDUndo) ||
		!bottest.Contains(support, "Scheduled for deletion") {
		t.Errorf("support, who may not undo, should see the deletion without Undo:\n%s", bottest.Text(support))
	}
	if list := h.Reply(h.Command(bottest.Admin, "list"), 1); !bottest.Contains(list, "🗑") {
		t.Errorf("the list does not mark ivy's pending deletion:\n%s", bottest.Text(list))
	}

	sweep(h)
	if _, exists := h.User("ivy"); !exists {
		t.Fatal("ivy was deleted before the undo window ended")
	}
	clock.Advance(72*time.Hour + time.Minute)
	sweep(h)
	if _, exists := h.User("ivy"); exists {
		t.Fatal("ivy still exists after the undo window ended")
	}
	h.WaitMessage("the requester told of the final deletion", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "undo window ended")
	})
	entries := h.AuditFor("ivy", 4)
	soft, hard := bottest.Executions(entries, "delete"), entriesWithPhase(entries, "hard-delete")
	if len(hard) != 1 || hard[0].Outcome != audit.OutcomeOK {
		t.Fatalf("want one successful hard-delete entry, got %+v", hard)
	}
	if hard[0].ApprovalID == "" || hard[0].Params["approved_by"] != bottest.Approver || !strings.HasPrefix(hard[0].Params["request"], "exec#") {
		t.Errorf("the hard delete does not point at the approval and the request: %+v", hard[0])
	}
	if len(soft) == 0 || soft[0].ApprovalID != hard[0].ApprovalID {
		t.Errorf("the approved delete and the hard delete do not share the approval id: %+v", soft)
	}
	sweep(h) // a second sweep (another replica) finds nothing left to do
	if again := entriesWithPhase(h.AuditFor("ivy", 1), "hard-delete"); len(again) != 1 {
		t.Errorf("the hard delete ran %d times", len(again))
	}
}

// Undo within the window restores the user through the pipeline, and the
// sweeper then leaves them alone; an undo with nothing to undo, or by someone
// whose role lacks undo, is refused with a sentence and audited.
func TestUndoRestoresTheUserAndCallsOffTheDeletion(t *testing.T) {
	t.Parallel()
	testUndo(t, false)
}

func TestUndoRestoresTheUserAndCallsOffTheDeletionWire(t *testing.T) {
	t.Parallel()
	testUndo(t, true)
}

func testUndo(t *testing.T, wire bool) {
	h, clock := undoWorld(t, wire, false)
	h.CreateUser("jo", "jo@example.com")
	result := confirmDelete(t, h, "jo", "")
	if !bottest.Contains(result, "Disabled, signed out and scheduled the deletion of") || !bottest.Contains(result, "undo jo") {
		t.Fatalf("the result does not say what happened and how to undo it:\n%s", bottest.Text(result))
	}
	if refused := h.Reply(h.Command(bottest.Support, "undo jo"), 1); !bottest.Contains(refused, "Not allowed") {
		t.Errorf("support may not undo, but got:\n%s", bottest.Text(refused))
	}
	undone := h.Reply(h.Command(bottest.Admin2, `undo jo --reason "wrong person"`), 1)
	if !bottest.Contains(undone, "Restored") || !bottest.Contains(undone, "enabled again") || !bottest.Contains(undone, "Sessions the delete ended stay ended") {
		t.Fatalf("undo did not say what it restored and what it cannot:\n%s", bottest.Text(undone))
	}
	if u, _ := h.User("jo"); u == nil || !u.Enabled {
		t.Fatal("jo is not enabled again after undo")
	}
	h.WaitMessage("the requester told who undid it", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "undid the deletion of") && bottest.Contains(m, bottest.Admin2)
	})
	if card := h.Reply(h.Command(bottest.Admin, "lookup jo"), 1); bottest.Contains(card, "Scheduled for deletion") {
		t.Errorf("the card still shows a deletion after undo:\n%s", bottest.Text(card))
	}
	clock.Advance(73 * time.Hour)
	sweep(h)
	if _, exists := h.User("jo"); !exists {
		t.Fatal("jo was deleted although the deletion was undone")
	}
	again := h.Reply(h.Command(bottest.Admin2, "undo jo"), 1)
	if !bottest.Contains(again, "not scheduled for deletion") {
		t.Errorf("a second undo should say there is nothing to undo:\n%s", bottest.Text(again))
	}
	var undos, denied int
	for _, e := range h.AuditFor("jo", 5) {
		switch {
		case e.Action == "undo" && e.Params["phase"] == "undo" && e.Outcome == audit.OutcomeOK && e.Actor.UserID == bottest.Admin2:
			undos++
		case e.Action == "undo" && e.Decision == audit.Denied && e.DenyReason == "not scheduled for deletion":
			denied++
		}
	}
	if undos != 1 || denied != 1 {
		t.Errorf("audit has %d undos and %d refused undos of nothing; want 1 and 1", undos, denied)
	}
}

// The card's Undo button restores; `delete --now` deletes at once under the
// same confirmation.
func TestUndoButtonAndDeleteNow(t *testing.T) {
	t.Parallel()
	h, _ := undoWorld(t, false, false)
	h.CreateUser("kim", "kim@example.com")
	confirmDelete(t, h, "kim", "")
	card := h.Reply(h.Command(bottest.Admin, "lookup kim"), 1)
	first := h.ClickAsShown(card, views.ActionIDUndo, bottest.Admin)
	second := h.ClickAsShown(card, views.ActionIDUndo, bottest.Admin)
	answers := bottest.Text(h.Reply(first, 1)) + bottest.Text(h.Reply(second, 1))
	if strings.Count(answers, "✅ Restored") != 1 || !strings.Contains(answers, "already undone") {
		t.Fatalf("a double-clicked Undo should restore kim once and say so to the other click:\n%s", answers)
	}
	if u, _ := h.User("kim"); u == nil || !u.Enabled {
		t.Fatal("Undo on the card did not enable kim again")
	}
	prompt := h.Reply(h.Command(bottest.Admin, "delete kim --now"), 1)
	if !bottest.Contains(prompt, "permanently") || bottest.Contains(prompt, "unless someone runs") {
		t.Errorf("the --now prompt should say the delete is permanent at once:\n%s", bottest.Text(prompt))
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if _, exists := h.User("kim"); exists {
		t.Fatal("delete --now did not delete kim at once")
	}
}

// A bulk delete follows the same rule: every user is disabled and scheduled.
func TestBulkDeleteWaitsOutTheUndoWindow(t *testing.T) {
	t.Parallel()
	testBulkDelete(t, false)
}

func TestBulkDeleteWaitsOutTheUndoWindowWire(t *testing.T) {
	t.Parallel()
	testBulkDelete(t, true)
}

func testBulkDelete(t *testing.T, wire bool) {
	// Cognito's write quotas lifted: the job's calls are not paced.
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{Wire: wire, Now: clock.Now, Configure: fastQuotas})
	for _, n := range []string{"bd1", "bd2"} {
		h.CreateUser(n, n+"@example.com")
	}
	dry := h.Reply(h.Command(bottest.Admin, "bulk delete bd1 bd2"), 1)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	h.WaitMessage("the bulk delete finished", func(m slackemu.Message) bool {
		return bottest.Contains(m, "Bulk delete") && bottest.Contains(m, "finished")
	})
	for _, n := range []string{"bd1", "bd2"} {
		if u, _ := h.User(n); u == nil || u.Enabled {
			t.Fatalf("%s should be kept, disabled, for the undo window", n)
		}
	}
	clock.Advance(73 * time.Hour)
	sweep(h)
	for _, n := range []string{"bd1", "bd2"} {
		if _, exists := h.User(n); exists {
			t.Errorf("%s still exists after the window", n)
		}
	}
	ctx := context.Background()
	if waiting, err := h.State.WaitingSchedules(ctx, 10); err != nil || len(waiting) != 0 {
		t.Errorf("schedules left waiting: %v %v", waiting, err)
	}
}

// A requester who has lost delete when the window ends does not have the
// deletion run: it is refused and audited, the user stays disabled, and the
// requester is told.
func TestHardDeleteIsCalledOffWhenTheRequesterLostDelete(t *testing.T) {
	t.Parallel()
	clock := &bottest.Clock{}
	const deleters = "SDELETERS"
	h := bottest.New(t, &bottest.Options{Now: clock.Now, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "deleters", Members: []string{deleters},
			Actions: []config.Action{actions.Lookup, actions.Delete}})
	}})
	h.Slack.SetUserGroup(deleters, []string{bottest.Support})
	h.CreateUser("lou", "lou@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "delete lou"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if u, _ := h.User("lou"); u == nil || u.Enabled {
		t.Fatal("lou should be disabled and kept for the undo window")
	}
	h.Slack.SetUserGroup(deleters, nil)
	clock.Advance(73 * time.Hour)
	sweep(h)
	if u, _ := h.User("lou"); u == nil || u.Enabled {
		t.Fatal("lou was deleted (or enabled) although the requester no longer may delete")
	}
	h.WaitMessage("the requester told the deletion was not run", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Support) && bottest.Contains(m, "Not run") && bottest.Contains(m, "stays disabled")
	})
	denials := func() (n int) {
		for _, e := range h.AuditFor("lou", 3) {
			if e.Action == "delete" && e.Decision == audit.Denied && e.Params["phase"] == "hard-delete" {
				n++
			}
		}
		return n
	}
	if n := denials(); n != 1 {
		t.Errorf("want one audited refusal of the hard delete, got %d", n)
	}
	sweep(h) // called off for good: the next sweep does not try again
	if n := denials(); n != 1 {
		t.Errorf("after another sweep: %d refusals, want still 1", n)
	}
}

// An approval waiting past half its time gets one reminder under its card,
// naming the approvers, however many sweeps (replicas) see it.
func TestApproversAreRemindedOnceAtHalfTheExpiry(t *testing.T) {
	t.Parallel()
	testReminder(t, false)
}

func TestApproversAreRemindedOnceAtHalfTheExpiryWire(t *testing.T) {
	t.Parallel()
	testReminder(t, true)
}

func testReminder(t *testing.T, wire bool) {
	clock := &bottest.Clock{}
	replicas := 1
	if wire {
		replicas = 2
	}
	h := bottest.New(t, &bottest.Options{Wire: wire, Approvals: true, Now: clock.Now, Replicas: replicas})
	h.CreateUser("quinn", "quinn@example.com")
	card := requestDelete(t, h, bottest.Admin, "quinn", "")
	reminders := func() (n int) {
		return len(h.Slack.Messages(func(m slackemu.Message) bool {
			return m.Channel == card.Channel && m.ThreadTS == card.TS && bottest.Contains(m, "Reminder")
		}))
	}
	sweep(h)
	if n := reminders(); n != 0 {
		t.Fatalf("%d reminders before half the expiry", n)
	}
	clock.Advance(31 * time.Minute) // the default expiry is 1 h
	sweep(h)
	sweep(h)
	h.Eventually("a reminder under the card", func() bool { return reminders() > 0 })
	if n := reminders(); n != 1 {
		t.Errorf("%d reminders, want exactly 1", n)
	}
	for _, m := range h.Slack.Messages(func(m slackemu.Message) bool { return m.Channel == card.Channel }) {
		if m.ThreadTS == card.TS && !(bottest.Contains(m, "<@"+bottest.Approver+">") && bottest.Contains(m, "<!subteam^"+bottest.Approvers+">")) {
			t.Errorf("the reminder does not name the approvers:\n%s", bottest.Text(m))
		}
	}
}

// Past escalate_after, escalate_to are told (a thread reply and a DM) and may
// approve; before it they may not.
func TestApprovalEscalatesAfterItsTime(t *testing.T) {
	t.Parallel()
	testEscalation(t, false)
}

func TestApprovalEscalatesAfterItsTimeWire(t *testing.T) {
	t.Parallel()
	testEscalation(t, true)
}

func testEscalation(t *testing.T, wire bool) {
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{Wire: wire, Approvals: true, Now: clock.Now, Configure: func(c *config.Config) {
		c.Approvals[0].EscalateAfter = config.Duration(20 * time.Minute)
		c.Approvals[0].EscalateTo = []string{bottest.Admin2}
	}})
	h.CreateUser("wes", "wes@example.com")
	card := requestDelete(t, h, bottest.Admin, "wes", "")
	if early := h.Reply(h.Click(card, "approval:approve", bottest.Admin2), 1); !bottest.Contains(early, "not an approver") {
		t.Fatalf("escalate_to approved before escalate_after:\n%s", bottest.Text(early))
	}
	clock.Advance(21 * time.Minute)
	sweep(h)
	sweep(h)
	h.WaitMessage("the escalation under the card", func(m slackemu.Message) bool {
		return m.Channel == card.Channel && m.ThreadTS == card.TS && bottest.Contains(m, "Escalated") && bottest.Contains(m, bottest.Admin2)
	})
	h.WaitMessage("a DM to the escalation approver", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin2) && bottest.Contains(m, "Escalated")
	})
	if n := len(h.Slack.Messages(func(m slackemu.Message) bool {
		return m.ThreadTS == card.TS && bottest.Contains(m, "Escalated")
	})); n != 1 {
		t.Errorf("%d escalation notes, want 1", n)
	}
	h.Click(card, "approval:approve", bottest.Admin2)
	waitCardDecided(t, h, card, "Approved")
	if u, _ := h.User("wes"); u == nil || u.Enabled {
		t.Fatal("the escalated approval did not carry out the delete")
	}
}
