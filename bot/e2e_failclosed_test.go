package bot_test

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestDynamoDBDownRefusesDestructiveAction(t *testing.T) {
	h := bottest.New(t, &bottest.Options{DynamoDBProxy: true})
	h.CreateUser("lara", "lara@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable lara"), 1)

	h.Proxy.SetDown(true)
	answer := h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if !bottest.Contains(answer, "nothing was done") {
		t.Fatalf("the user should be told nothing was done:\n%s", bottest.Text(answer))
	}
	if u, _ := h.User("lara"); !u.Enabled {
		t.Fatal("lara was disabled although nothing could be audited")
	}
	direct := h.Reply(h.Command(bottest.Support, "lookup lara"), 1)
	if !bottest.Contains(direct, "nothing was done") {
		t.Fatalf("a lookup without an audit log should be refused too:\n%s", bottest.Text(direct))
	}

	h.Proxy.SetDown(false)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if u, _ := h.User("lara"); u.Enabled {
		t.Fatal("once DynamoDB is back the same confirmation should work")
	}
}

func TestDynamoDBDownAtApprovalThenApprovedLater(t *testing.T) {
	h := bottest.New(t, &bottest.Options{Approvals: true, DynamoDBProxy: true})
	h.CreateUser("mia", "mia@example.com")
	card := requestDelete(t, h, bottest.Admin, "mia", "")

	h.Proxy.SetDown(true)
	answer := h.Reply(h.Click(card, "approval:approve", bottest.Approver), 1)
	if !bottest.Contains(answer, "nothing was done") {
		t.Fatalf("approver should be told nothing was done:\n%s", bottest.Text(answer))
	}
	h.WaitMessage("a note on the card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && m.ThreadTS == card.TS && bottest.Contains(m, "could not be processed")
	})
	if _, exists := h.User("mia"); !exists {
		t.Fatal("mia was deleted while DynamoDB was unavailable")
	}

	h.Proxy.SetDown(false)
	h.Click(card, "approval:approve", bottest.Approver)
	waitCardDecided(t, h, card, "Approved")
	if _, exists := h.User("mia"); exists {
		t.Fatal("mia still exists after approval once DynamoDB was back")
	}
}
