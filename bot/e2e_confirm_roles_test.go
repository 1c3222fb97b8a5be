package bot_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestEnableCommandRunsWithoutConfirmation(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("nina", "nina@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable nina"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)

	result := h.Reply(h.Command(bottest.Support, "enable nina"), 1)
	if bottest.Contains(result, "confirm:yes") {
		t.Fatalf("enable is not destructive and should not ask for confirmation:\n%s", bottest.Text(result))
	}
	if u, _ := h.User("nina"); !u.Enabled {
		t.Fatal("nina is still disabled")
	}
	if len(bottest.Executions(h.AuditFor("nina", 4), "enable")) != 1 {
		t.Error("enable not audited as one execution")
	}
}

func TestPublicLookupMasksContactDetails(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("oscar", "oscar@example.com")
	h.Command(bottest.Support, "lookup oscar --public")
	card := h.WaitMessage("public card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Channel && !m.Ephemeral && bottest.Contains(m, "oscar")
	})
	if bottest.Contains(card, "oscar@example.com") {
		t.Fatalf("a public card must mask the email:\n%s", card.Blocks)
	}
	if strings.Contains(string(card.Blocks), "card:") {
		t.Fatalf("a public card should carry no action buttons:\n%s", card.Blocks)
	}
}

func TestRoleLimitedToAChannel(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		for i := range c.Roles {
			if c.Roles[i].Name == "support" {
				c.Roles[i].Channels = []string{bottest.Channel}
			}
		}
	}})
	h.CreateUser("pia", "pia@example.com")
	if card := h.Reply(h.Command(bottest.Support, "lookup pia"), 1); !bottest.Contains(card, "pia@example.com") {
		t.Fatalf("support should work in its channel:\n%s", bottest.Text(card))
	}
	elsewhere := h.Reply(h.CommandIn(bottest.Support, "COTHER", "lookup pia"), 1)
	if !bottest.Contains(elsewhere, "Not allowed") {
		t.Fatalf("support should be refused outside its channel:\n%s", bottest.Text(elsewhere))
	}
}

func TestLateApproverIsToldWhoDecided(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true})
	h.CreateUser("quinn", "quinn@example.com")
	card := requestDelete(t, h, bottest.Admin, "quinn", "")
	h.Click(card, "approval:approve", bottest.Approver)
	waitCardDecided(t, h, card, "Approved")

	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.BlockAction(ctx, slackemu.BlockActionSpec{UserID: bottest.Approver2, ChannelID: bottest.Approvals,
		MessageTS: card.TS, ActionID: "approval:approve", Value: buttonValue(t, card, "approval:approve")})
	if err != nil {
		t.Fatal(err)
	}
	answer := h.Reply(d, 1)
	if !bottest.Contains(answer, "already") || !bottest.Contains(answer, bottest.Approver) {
		t.Fatalf("the late approver should be told it was already decided and by whom:\n%s", bottest.Text(answer))
	}
	if answer.TS == card.TS {
		t.Fatal("the late click must not replace the shared card")
	}
}

func TestEveryCardButtonAndADoubleClickedDelete(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("rita", "rita@example.com")

	card := h.Reply(h.Command(bottest.Admin, "lookup rita"), 1)
	h.Reply(h.Click(card, "card:reset-password", bottest.Admin), 1)
	if u, _ := h.User("rita"); u.Status != "RESET_REQUIRED" {
		t.Fatalf("status = %s after Reset password, want RESET_REQUIRED", u.Status)
	}
	card = h.Reply(h.Command(bottest.Admin, "lookup rita"), 1)
	h.Reply(h.Click(card, "card:revoke", bottest.Admin), 1)

	// Delete sits in the card's overflow menu, which asks with the bot's own
	// confirm prompt; that prompt's Confirm is double-clicked.
	card = h.Reply(h.Command(bottest.Admin, "lookup rita"), 1)
	prompt := h.Reply(choose(t, h, card, "Delete", bottest.Admin), 1)
	if u, _ := h.User("rita"); u == nil {
		t.Fatal("choosing Delete from the menu deleted rita before any confirmation")
	}
	first := h.ClickAsShown(prompt, "confirm:yes", bottest.Admin)
	second := h.ClickAsShown(prompt, "confirm:yes", bottest.Admin)
	h.Reply(first, 1)
	h.Reply(second, 1)
	h.WaitMessage("the prompt replaced by the result", func(m slackemu.Message) bool {
		return m.TS == prompt.TS && m.Updated > 0 && !bottest.Contains(m, "confirm:yes")
	})
	if u, _ := h.User("rita"); u == nil || u.Enabled {
		t.Fatal("rita is not disabled and kept for the undo window")
	}
	entries := h.AuditFor("rita", 6)
	for action, want := range map[string]int{"reset-password": 1, "revoke": 1, "delete": 1} {
		if got := len(bottest.Executions(entries, action)); got != want {
			t.Errorf("%s executed %d times, want %d", action, got, want)
		}
	}
}

func TestConfirmByRoleLetsAnotherAuthorizedUserConfirm(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) { c.Confirm.By = config.ConfirmByRole }})
	h.CreateUser("uma", "uma@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable uma"), 1)
	ctx, cancel := h.Timeout()
	defer cancel()
	for _, clicker := range []string{bottest.Nobody, bottest.Admin2} {
		d, err := h.Slack.BlockAction(ctx, slackemu.BlockActionSpec{UserID: clicker, ChannelID: bottest.Channel,
			ActionID: "confirm:yes", Value: buttonValue(t, prompt, "confirm:yes"), Ephemeral: true})
		if err != nil {
			t.Fatal(err)
		}
		answer := h.Reply(d, 1)
		if clicker == bottest.Nobody && !bottest.Contains(answer, "Not allowed") {
			t.Fatalf("a user without the role must not confirm:\n%s", bottest.Text(answer))
		}
	}
	if u, _ := h.User("uma"); u.Enabled {
		t.Fatal("an authorized colleague's confirmation should have disabled uma")
	}
}

func TestRequiredReasonForAConfirmedAction(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Actions = map[config.Action]config.ActionOptions{actions.Revoke: {RequireReason: true}}
	}})
	h.CreateUser("vic", "vic@example.com")
	d := h.Command(bottest.Support, "revoke vic")
	ctx, cancel := h.Timeout()
	defer cancel()
	var view slackemu.View
	if err := h.Slack.Wait(ctx, func() bool {
		for _, v := range h.Slack.Views() {
			view = v
			return true
		}
		return false
	}); err != nil {
		t.Fatalf("no reason modal: %v", err)
	}
	if _, err := h.Slack.SubmitView(ctx, view.ID, bottest.Support, map[string]map[string]string{"reason": {"reason": "phone stolen"}}); err != nil {
		t.Fatal(err)
	}
	prompt := h.Reply(d, 1)
	if !bottest.Contains(prompt, "phone stolen") || !bottest.Contains(prompt, "confirm:yes") {
		t.Fatalf("the confirm prompt should show the reason:\n%s", bottest.Text(prompt))
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	execs := bottest.Executions(h.AuditFor("vic", 3), "revoke")
	if len(execs) != 1 || execs[0].Reason != "phone stolen" {
		t.Fatalf("want one revoke with the reason in the audit log, got %+v", execs)
	}
}
