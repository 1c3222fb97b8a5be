package bot_test

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// A reset-password that needs approval still needs the caller verified: the
// requester (who talks to the caller) ticks the box before it goes to the
// approvers; an approval alone never resets the password.
func TestCallerVerificationCannotBeSkippedByAnApproval(t *testing.T) {
	t.Parallel()
	testCallerThenApproval(t, false)
}

func TestCallerVerificationCannotBeSkippedByAnApprovalWire(t *testing.T) {
	t.Parallel()
	testCallerThenApproval(t, true)
}

func testCallerThenApproval(t *testing.T, wire bool) {
	h := bottest.New(t, &bottest.Options{Wire: wire, Approvals: true, Configure: func(c *config.Config) {
		c.CallerVerification.Actions = []config.Action{actions.ResetPassword}
		c.Approvals = append(c.Approvals, config.ApprovalRule{Action: actions.ResetPassword, Approvers: []string{bottest.Approver},
			Channel: bottest.Approvals, Expiry: config.Duration(time.Hour)})
	}})
	h.CreateUser("rae", "rae.smith@example.com")
	answer := h.Reply(h.Command(bottest.Support, "reset-password rae"), 1)
	if !bottest.Contains(answer, views.ActionIDCallerVerified) {
		// Sent straight for approval: approving it must not reset the password.
		card := h.WaitMessage("approval card", func(m slackemu.Message) bool {
			return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
		})
		h.Click(card, "approval:approve", bottest.Approver)
		waitCardDecided(t, h, card, "Approved")
		if n := len(bottest.Executions(h.AuditFor("rae", 1), "reset-password")); n != 0 {
			t.Fatal("an approval reset the password with nobody having verified the caller")
		}
		t.Fatalf("the request went for approval without the caller check:\n%s", bottest.Text(answer))
	}
	ticked := map[string][]string{views.ActionIDCallerVerified: {views.CallerVerifiedValue}}
	if none := h.Reply(h.ClickTicked(answer, "confirm:yes", bottest.Support, nil), 1); !bottest.Contains(none, "Nothing was done") {
		t.Fatalf("Confirm without the box should be refused:\n%s", bottest.Text(none))
	}
	h.Reply(h.ClickTicked(answer, "confirm:yes", bottest.Support, ticked), 1)
	card := h.WaitMessage("approval card after the caller check", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	if n := len(bottest.Executions(h.AuditFor("rae", 1), "reset-password")); n != 0 {
		t.Fatal("the caller check ran the reset before approval")
	}
	h.Click(card, "approval:approve", bottest.Approver)
	h.Eventually("the approved reset", func() bool {
		return len(bottest.Executions(h.AuditFor("rae", 1), "reset-password")) == 1
	})
}
