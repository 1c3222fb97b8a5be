package bot_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// requestDelete asks for a delete and returns the approval card it produced.
func requestDelete(t *testing.T, h *bottest.Harness, requester, username, extra string) slackemu.Message {
	t.Helper()
	answer := h.Reply(h.Command(requester, "delete "+username+extra), 1)
	if !bottest.Contains(answer, "approval") {
		t.Fatalf("requester should be told it was sent for approval:\n%s", bottest.Text(answer))
	}
	card := h.WaitMessage("approval card for "+username, func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, username) && bottest.Contains(m, "approval:approve")
	})
	waitCardRecorded(t, h, card)
	return card
}

// waitCardRecorded waits until the bot has recorded where the approval card
// is, which it does just after posting it, and returns the pending request.
// A test that then has the sweeper close the request (moving the clock)
// waits for it: a sweep closing it before could not update the card.
func waitCardRecorded(t *testing.T, h *bottest.Harness, card slackemu.Message) audit.Pending {
	t.Helper()
	id := buttonValue(t, card, "approval:approve")
	ctx, cancel := h.Timeout()
	defer cancel()
	var p audit.Pending
	h.Eventually("the approval card's place recorded", func() bool {
		var err error
		p, err = h.State.Get(ctx, id)
		return err == nil && p.CardTS != ""
	})
	return p
}

func waitCardDecided(t *testing.T, h *bottest.Harness, card slackemu.Message, word string) slackemu.Message {
	t.Helper()
	return h.WaitMessage("card to say "+word, func(m slackemu.Message) bool {
		return m.TS == card.TS && m.Channel == card.Channel && !bottest.Contains(m, "approval:approve") && bottest.Contains(m, word)
	})
}

func TestApprovalApprovePath(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true})
	h.CreateUser("frank", "frank@example.com")
	card := requestDelete(t, h, bottest.Admin, "frank", "")
	if bottest.Contains(card, "frank@example.com") {
		t.Error("the approval card should mask the email")
	}
	if _, exists := h.User("frank"); !exists {
		t.Fatal("frank was deleted before approval")
	}
	h.Click(card, "approval:approve", bottest.Approver)
	decided := waitCardDecided(t, h, card, "Approved")
	if !bottest.Contains(decided, bottest.Approver) {
		t.Errorf("card should say who approved:\n%s", bottest.Text(decided))
	}
	// Approved, the delete waits out the undo window: disabled now, deleted later.
	if u, exists := h.User("frank"); !exists || u.Enabled {
		t.Fatal("frank should be disabled and kept for the undo window after approval")
	}
	h.WaitMessage("DM to the requester", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "frank")
	})
	execs := bottest.Executions(h.AuditFor("frank", 3), "delete")
	if len(execs) != 1 || execs[0].Actor.UserID != bottest.Approver || execs[0].ApprovalID == "" {
		t.Fatalf("want one execution by the approver with an approval id, got %+v", execs)
	}
}

func TestApprovalRejectViaUserGroupMember(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true})
	h.CreateUser("gus", "gus@example.com")
	card := requestDelete(t, h, bottest.Admin, "gus", "")
	h.Click(card, "approval:reject", bottest.Approver2)
	waitCardDecided(t, h, card, "Rejected")
	if _, exists := h.User("gus"); !exists {
		t.Fatal("gus was deleted although the request was rejected")
	}
	h.WaitMessage("DM to the requester", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "Rejected")
	})
	rejected := false
	for _, e := range h.AuditFor("gus", 3) {
		rejected = rejected || (e.Params["phase"] == "reject" && e.Actor.UserID == bottest.Approver2)
	}
	if !rejected {
		t.Error("the rejection is not in the audit log")
	}
}

func TestSelfApprovalAndNonApproverAreRefused(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true, Configure: func(c *config.Config) {
		c.Approvals[0].Approvers = append(c.Approvals[0].Approvers, bottest.Admin)
	}})
	h.CreateUser("hal", "hal@example.com")
	card := requestDelete(t, h, bottest.Admin, "hal", "")

	self := h.Reply(h.Click(card, "approval:approve", bottest.Admin), 1)
	if !bottest.Contains(self, "own request") {
		t.Errorf("self-approval should be refused clearly:\n%s", bottest.Text(self))
	}
	// Two people who are not approvers, refused for the same reason: each
	// refusal is its own audited attempt.
	for _, who := range []string{bottest.Support, bottest.Admin2} {
		other := h.Reply(h.Click(card, "approval:approve", who), 1)
		if !bottest.Contains(other, "Not allowed") {
			t.Errorf("a non-approver should be refused:\n%s", bottest.Text(other))
		}
	}
	if _, exists := h.User("hal"); !exists {
		t.Fatal("hal was deleted by a refused click")
	}
	h.Click(card, "approval:approve", bottest.Approver)
	waitCardDecided(t, h, card, "Approved")
	if u, _ := h.User("hal"); u == nil || u.Enabled {
		t.Fatal("hal is not disabled (scheduled for deletion) after a valid approval")
	}
	denials := 0
	for _, e := range h.AuditFor("hal", 5) {
		if e.Decision == audit.Denied {
			denials++
		}
	}
	if denials != 3 {
		t.Errorf("want 3 audited denials (self-approval and two non-approvers), got %d", denials)
	}
}

func TestApprovalExpires(t *testing.T) {
	t.Parallel()
	// The bots' clock is moved past the request's expiry (one minute) rather
	// than waited for: the sweeper, every 50 ms, finds it expired.
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{Approvals: true, Now: clock.Now, SweepEvery: quickSweeps, Configure: func(c *config.Config) {
		c.Approvals[0].Expiry = config.Duration(time.Minute)
	}})
	h.CreateUser("ida", "ida@example.com")
	card := requestDelete(t, h, bottest.Admin, "ida", "")
	value := buttonValue(t, card, "approval:approve")
	clock.Advance(time.Minute + time.Second)
	waitCardDecided(t, h, card, "xpired")

	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.BlockAction(ctx, slackemu.BlockActionSpec{UserID: bottest.Approver, ChannelID: bottest.Approvals,
		MessageTS: card.TS, ActionID: "approval:approve", Value: value})
	if err != nil {
		t.Fatal(err)
	}
	if answer := h.Reply(d, 1); !bottest.Contains(answer, "xpired") {
		t.Errorf("a late approval should be told the request expired:\n%s", bottest.Text(answer))
	}
	if _, exists := h.User("ida"); !exists {
		t.Fatal("an expired request was executed")
	}
}

func TestReasonFromModalOrInline(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true, Configure: func(c *config.Config) {
		c.Approvals[0].RequireReason = true
	}})
	h.CreateUser("jon", "jon@example.com")
	h.CreateUser("kim", "kim@example.com")

	h.Command(bottest.Admin, "delete jon")
	var view slackemu.View
	ctx, cancel := h.Timeout()
	defer cancel()
	if err := h.Slack.Wait(ctx, func() bool {
		vs := h.Slack.Views()
		if len(vs) == 0 {
			return false
		}
		view = vs[0]
		return true
	}); err != nil {
		t.Fatalf("no reason modal opened: %v", err)
	}
	if _, err := h.Slack.SubmitView(ctx, view.ID, bottest.Admin, map[string]map[string]string{"reason": {"reason": "GDPR erasure #42"}}); err != nil {
		t.Fatal(err)
	}
	card := h.WaitMessage("approval card for jon", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "jon") && bottest.Contains(m, "GDPR erasure #42")
	})
	if !bottest.Contains(card, "approval:approve") {
		t.Fatal("card has no Approve button")
	}

	inline := requestDelete(t, h, bottest.Admin, "kim", ` --reason "left the company"`)
	if !bottest.Contains(inline, "left the company") {
		t.Fatalf("inline reason not on the card:\n%s", bottest.Text(inline))
	}
	entries := h.AuditFor("kim", 2)
	found := false
	for _, e := range entries {
		found = found || e.Reason == "left the company"
	}
	if !found {
		t.Error("the reason is not in the audit log")
	}
}

func TestTwoReplicasApproveExactlyOnce(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true, Replicas: 2, Wire: true})
	const rounds = 50
	ctx, cancel := h.Timeout()
	defer cancel()
	connections := map[int]bool{}
	for i := range rounds {
		name := fmt.Sprintf("race%02d", i)
		h.CreateUser(name, name+"@example.com")
		card := requestDelete(t, h, bottest.Admin, name, "")
		var wg sync.WaitGroup
		var first *slackemu.Delivery
		for j, approver := range []string{bottest.Approver, bottest.Approver2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := h.Slack.Click(ctx, card, "approval:approve", approver)
				if err != nil {
					t.Error(err)
					return
				}
				if j == 0 {
					first = d
				}
			}()
		}
		wg.Wait()
		if first == nil {
			t.FailNow()
		}
		again, err := h.Slack.Redeliver(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		connections[first.Connection], connections[again.Connection] = true, true
		waitCardDecided(t, h, card, "Approved")
	}
	executions, outcomes := 0, 0
	for i := range rounds {
		for _, e := range bottest.Executions(h.AuditFor(fmt.Sprintf("race%02d", i), 1), "delete") {
			executions++
			if e.Outcome == audit.OutcomeOK {
				outcomes++
			}
		}
	}
	if executions != rounds || outcomes != rounds {
		t.Fatalf("%d rounds gave %d executions and %d ok outcomes; want exactly %d each", rounds, executions, outcomes, rounds)
	}
	if len(connections) < 2 {
		t.Errorf("clicks all went to one connection; the emulator should spread them")
	}
	assertAuditChainIntact(t, h)
}

func TestApprovalRefusedWhenTheTargetChangedSinceTheRequest(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true})
	h.CreateUser("tess", "tess@example.com")
	card := requestDelete(t, h, bottest.Admin, "tess", "")

	// Someone disables tess directly in Cognito while the request waits.
	ctx, cancel := h.Timeout()
	defer cancel()
	if _, err := h.Users.DisableUser(bottest.Fixture(ctx), h.Pool.ID, "tess"); err != nil {
		t.Fatal(err)
	}
	h.Click(card, "approval:approve", bottest.Approver)
	decided := waitCardDecided(t, h, card, "changed")
	if !bottest.Contains(decided, "Nothing was done") {
		t.Errorf("the card should say nothing was done:\n%s", bottest.Text(decided))
	}
	if _, exists := h.User("tess"); !exists {
		t.Fatal("tess was deleted although her state changed since the request")
	}
}

func TestApprovalCardThatCannotBePostedWithdrawsTheRequest(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true})
	h.CreateUser("walt", "walt@example.com")
	h.Slack.InjectFault("chat.postMessage", 1, slackemu.Fault{Error: "not_in_channel"})
	answer := h.Reply(h.Command(bottest.Admin, "delete walt"), 1)
	if !bottest.Contains(answer, "could not be posted") || !bottest.Contains(answer, bottest.Approvals) {
		t.Fatalf("the requester should learn the request was withdrawn:\n%s", bottest.Text(answer))
	}
	if _, exists := h.User("walt"); !exists {
		t.Fatal("walt was deleted")
	}
}
