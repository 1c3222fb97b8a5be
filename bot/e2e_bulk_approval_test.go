package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// bulkApprovals makes jobs above three users wait for Approver in #approvals.
func bulkApprovals(c *config.Config) {
	c.Approvals = append(c.Approvals, config.ApprovalRule{Action: actions.Bulk, Approvers: []string{bottest.Approver},
		Channel: bottest.Approvals, Expiry: config.DefaultApprovalExpiry})
	c.Bulk.ApprovalAbove = 3
}

func makeUsers(h *bottest.Harness, prefix string, n int) []string {
	var names []string
	for i := range n {
		name := fmt.Sprintf("%s%02d", prefix, i)
		h.CreateUser(name, name+"@example.com")
		names = append(names, name)
	}
	return names
}

func TestBulkJobAboveTheThresholdRunsOnlyAfterApproval(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) { bulkApprovals(c); fastQuotas(c) }})
	names := makeUsers(h, "big", 5)
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " ")), 1)
	if !bottest.Contains(dry, "needs approval") || !bottest.Contains(dry, "more than 3 users") || !bottest.Contains(dry, "Ask approval for 5 users") {
		t.Fatalf("the dry run should say the job needs approval:\n%s", bottest.Text(dry))
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	card := h.WaitMessage("job approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	for _, want := range []string{"disable 5 users", "big00", "big04", "<@" + bottest.Admin + ">"} {
		if !bottest.Contains(card, want) {
			t.Errorf("the approval card does not show %q:\n%s", want, bottest.Text(card))
		}
	}
	if u, _ := h.User("big00"); !u.Enabled {
		t.Fatal("a user was disabled before approval")
	}
	// Neither the requester nor someone who is not an approver can approve it.
	if self := h.Reply(h.Click(card, "approval:approve", bottest.Admin), 1); !bottest.Contains(self, "own request") {
		t.Errorf("self-approval should be refused:\n%s", bottest.Text(self))
	}
	if other := h.Reply(h.Click(card, "approval:approve", bottest.Admin2), 1); !bottest.Contains(other, "Not allowed") {
		t.Errorf("a non-approver should be refused:\n%s", bottest.Text(other))
	}
	if u, _ := h.User("big00"); !u.Enabled {
		t.Fatal("a refused approval started the job")
	}
	h.Click(card, "approval:approve", bottest.Approver)
	waitCardDecided(t, h, card, "Approved")
	_, rows := resultsCSV(t, h)
	if len(rows) != 6 {
		t.Fatalf("%d result rows; want 5", len(rows)-1)
	}
	for _, n := range names {
		if u, _ := h.User(n); u.Enabled {
			t.Errorf("%s is still enabled after the approved job", n)
		}
		runs := 0
		for _, e := range h.AuditFor(n, 1) {
			if e.Params["job"] != "" && e.Action == "disable" {
				runs++
				if e.Actor.UserID != bottest.Admin {
					t.Errorf("%s's step ran as %s; want the requester", n, e.Actor.UserID)
				}
			}
		}
		if runs != 1 {
			t.Errorf("%s has %d job entries; want 1", n, runs)
		}
	}
	h.WaitMessage("progress in the requester's DM", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "Bulk disable") && bottest.Contains(m, "finished")
	})
}

func TestBulkJobAtTheThresholdNeedsNoApproval(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) { bulkApprovals(c); fastQuotas(c) }})
	names := makeUsers(h, "small", 3)
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " ")), 1)
	if bottest.Contains(dry, "needs approval") {
		t.Fatalf("a job of 3 users should not need approval:\n%s", bottest.Text(dry))
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	resultsCSV(t, h)
	if u, _ := h.User(names[2]); u.Enabled {
		t.Fatal("the job did not run")
	}
}

func TestRejectedBulkJobNeverStarts(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: bulkApprovals})
	names := makeUsers(h, "rej", 4)
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " ")), 1)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	card := h.WaitMessage("job approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	h.Click(card, "approval:reject", bottest.Approver)
	waitCardDecided(t, h, card, "Rejected")
	// The dry run's Confirm button, pressed again, cannot start it.
	again := h.ClickAsShown(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	answer := h.Reply(again, 1)
	if !bottest.Contains(answer, "rejected") && !bottest.Contains(answer, "cancelled") {
		t.Errorf("a second confirm after the rejection:\n%s", bottest.Text(answer))
	}
	for _, n := range names {
		if u, _ := h.User(n); !u.Enabled {
			t.Errorf("%s was disabled by a rejected job", n)
		}
	}
}

// A bulk job of an action with its own approval rule goes to that rule's
// approvers, even when no rule covers bulk jobs (it used to be refused).
func TestBulkOfAnActionApprovedUserByUserGoesToItsApprovers(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true})
	h.CreateUser("gone", "gone@example.com")
	dry := h.Reply(h.Command(bottest.Admin, "bulk delete gone"), 1)
	if !bottest.Contains(dry, "delete needs approval here") {
		t.Fatalf("a bulk delete should need the delete rule's approval:\n%s", bottest.Text(dry))
	}
	if _, ok := h.User("gone"); !ok {
		t.Fatal("gone was deleted")
	}
}

// A replica that started an approved job and stopped before recording it
// leaves the approval executing. The sweeper finds the job running: the card
// says approved and started (not "outcome unknown"), and the job still runs
// to its end on the replica that is left, its results sent to the requester.
func TestApprovedJobWhoseBotStoppedAfterStartingItReadsStarted(t *testing.T) {
	t.Parallel()
	h, card := approvedJobLeftExecuting(t, false)
	ctx, cancel := h.Timeout()
	defer cancel()
	decided := waitCardDecided(t, h, card, "Approved")
	if bottest.Contains(decided, "outcome was known") || !bottest.Contains(decided, "job started") {
		t.Errorf("the card should say the job started:\n%s", bottest.Text(decided))
	}
	if got, _ := h.State.Get(ctx, buttonValue(t, card, "approval:approve")); got.State != audit.StateDone {
		t.Errorf("the approval is %s; want DONE", got.State)
	}
	if _, rows := resultsCSV(t, h); len(rows) != 6 {
		t.Errorf("%d result rows; want 5", len(rows)-1)
	}
	for i := range 5 {
		if u, _ := h.User(fmt.Sprintf("late%02d", i)); u.Enabled {
			t.Errorf("late%02d is still enabled after the job", i)
		}
	}
}

// The stopped bot never posted the job's progress message; the requester gets
// it, with its Cancel button, once the approval is settled.
func TestApprovedJobWhoseBotStoppedBeforePostingProgressGetsItsMessage(t *testing.T) {
	t.Parallel()
	h, card := approvedJobLeftExecuting(t, true)
	waitCardDecided(t, h, card, "Approved")
	progress := h.WaitMessage("the job's progress message in the requester's DM", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "Bulk disable")
	})
	if !bottest.Contains(progress, bulkview.ActionIDBulkCancel) {
		t.Errorf("the progress message should offer Cancel:\n%s", bottest.Text(progress))
	}
}

// approvedJobLeftExecuting asks approval for a job disabling late00..late04,
// then plays a replica that took the approval, started the job (and, with
// holdLease, took its lease) and died; it returns the approval card.
func approvedJobLeftExecuting(t *testing.T, holdLease bool) (*bottest.Harness, slackemu.Message) {
	t.Helper()
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{ExecutingTimeout: time.Second, Now: clock.Now, SweepEvery: quickSweeps,
		Configure: func(c *config.Config) { bulkApprovals(c); fastQuotas(c) }})
	names := makeUsers(h, "late", 5)
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names, " ")), 1)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	card := h.WaitMessage("job approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	id := buttonValue(t, card, "approval:approve")
	ctx, cancel := h.Timeout()
	defer cancel()
	p := waitCardRecorded(t, h, card)

	// Another replica took the approval and started the job, then died.
	approver := audit.Actor{UserID: bottest.Approver, TeamID: bottest.Team}
	if _, err := h.State.Transition(ctx, id, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &approver}); err != nil {
		t.Fatal(err)
	}
	jobs := h.State.(bulk.Store)
	if _, err := jobs.StartJob(ctx, p.Job, approver); err != nil {
		t.Fatal(err)
	}
	if holdLease {
		// ... and its runner had taken the job's lease: nobody runs it yet.
		if _, err := jobs.AcquireJob(ctx, p.Job, "dead-replica", time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	// The sweeper takes the approval as left executing once the bots' clock
	// is past the executing timeout (a second), which is not waited out.
	clock.Advance(2 * time.Second)
	return h, card
}
