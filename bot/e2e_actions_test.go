package bot_test

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestDisableNeedsConfirmationThenRunsOnce(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("alice", "alice@example.com")

	prompt := h.Reply(h.Command(bottest.Support, "disable alice"), 1)
	if u, _ := h.User("alice"); !u.Enabled {
		t.Fatal("alice was disabled before anyone confirmed")
	}
	click := h.Click(prompt, "confirm:yes", bottest.Support)
	result := h.Reply(click, 1)
	if result.TS != prompt.TS || result.Updated == 0 {
		t.Errorf("the confirm prompt should be replaced in place; got new message %s", result.TS)
	}
	if bottest.Contains(result, "confirm:yes") {
		t.Errorf("buttons should be gone after the action:\n%s", bottest.Text(result))
	}
	if u, _ := h.User("alice"); u.Enabled {
		t.Fatal("alice is still enabled after confirmation")
	}
	entries := h.AuditFor("alice", 3)
	execs := bottest.Executions(entries, "disable")
	if len(execs) != 1 || execs[0].Outcome != audit.OutcomeOK || execs[0].Actor.UserID != bottest.Support || execs[0].Actor.TeamID != bottest.Team {
		t.Fatalf("want one ok disable by %s/%s in the audit log, got %+v", bottest.Support, bottest.Team, execs)
	}
}

func TestDoubleClickAndRedeliveryExecuteOnce(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("frank", "frank@example.com")
	prompt := h.Reply(h.Command(bottest.Admin, "delete frank --now"), 1)

	first := h.ClickAsShown(prompt, "confirm:yes", bottest.Admin)
	second := h.ClickAsShown(prompt, "confirm:yes", bottest.Admin)
	ctx, cancel := h.Timeout()
	defer cancel()
	if _, err := h.Slack.Redeliver(ctx, first); err != nil {
		t.Fatal(err)
	}
	h.Reply(first, 1)
	h.Reply(second, 1)
	// Whichever click won replaces the prompt with the result.
	h.WaitMessage("the prompt replaced by the result", func(m slackemu.Message) bool {
		return m.TS == prompt.TS && m.Updated > 0 && !bottest.Contains(m, "confirm:yes")
	})
	if _, exists := h.User("frank"); exists {
		t.Fatal("frank still exists")
	}
	execs := bottest.Executions(h.AuditFor("frank", 2), "delete")
	if len(execs) != 1 {
		t.Fatalf("delete ran %d times, want exactly once: %+v", len(execs), execs)
	}
}

func TestOnlyTheRequesterMayConfirm(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("carol", "carol@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable carol"), 1)
	value := buttonValue(t, prompt, "confirm:yes")

	// Admin2 cannot see the ephemeral prompt, so forge the click with its value.
	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.BlockAction(ctx, slackemu.BlockActionSpec{
		UserID: bottest.Admin2, ChannelID: bottest.Channel, ActionID: "confirm:yes", Value: value, Ephemeral: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	answer := h.Reply(d, 1)
	if !bottest.Contains(answer, "Only") {
		t.Errorf("the other clicker should be told only the requester can confirm:\n%s", bottest.Text(answer))
	}
	if u, _ := h.User("carol"); !u.Enabled {
		t.Fatal("carol was disabled by someone who was not the requester")
	}
	denied := false
	for _, e := range h.AuditFor("carol", 2) {
		if e.Decision == audit.Denied && e.Actor.UserID == bottest.Admin2 {
			denied = true
		}
	}
	if !denied {
		t.Error("the refused click is not in the audit log")
	}
}

func TestRoleWithoutTheRightIsDeniedAndAudited(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("dave", "dave@example.com")

	answer := h.Reply(h.Command(bottest.Support, "delete dave"), 1)
	if !bottest.Contains(answer, "Not allowed") {
		t.Fatalf("support should not be allowed to delete:\n%s", bottest.Text(answer))
	}
	answer = h.Reply(h.Command(bottest.Nobody, "lookup dave"), 1)
	if !bottest.Contains(answer, "Not allowed") {
		t.Fatalf("a user without a role should be refused:\n%s", bottest.Text(answer))
	}
	if _, exists := h.User("dave"); !exists {
		t.Fatal("dave was deleted")
	}
	entries := h.AuditFor("dave", 2)
	for _, e := range entries {
		if e.Decision != audit.Denied {
			t.Errorf("unexpected allowed entry %+v", e)
		}
	}
}

func TestCardButtonsActAfterSlacksConfirmDialog(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("erin", "erin@example.com")
	card := h.Reply(h.Command(bottest.Admin, "lookup erin"), 1)
	if !hasConfirmDialog(card, "card:disable") {
		t.Fatalf("the Disable button needs a Block Kit confirm dialog:\n%s", card.Blocks)
	}
	h.Reply(h.Click(card, "card:disable", bottest.Admin), 1)
	if u, _ := h.User("erin"); u.Enabled {
		t.Fatal("erin is still enabled")
	}

	card = h.Reply(h.Command(bottest.Admin, "lookup erin"), 1)
	if bottest.Contains(card, "card:disable") || !bottest.Contains(card, "card:enable") {
		t.Fatalf("a disabled user's card should offer Enable, not Disable:\n%s", card.Blocks)
	}
	h.Reply(h.Click(card, "card:enable", bottest.Admin), 1)
	if u, _ := h.User("erin"); !u.Enabled {
		t.Fatal("erin was not re-enabled")
	}
}

func TestResetPasswordAndRevokeAndCancel(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("gina", "gina@example.com")

	prompt := h.Reply(h.Command(bottest.Support, "reset gina"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if u, _ := h.User("gina"); u.Status != "RESET_REQUIRED" {
		t.Fatalf("status = %s, want RESET_REQUIRED", u.Status)
	}

	prompt = h.Reply(h.Command(bottest.Support, "signout gina"), 1)
	result := h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if !bottest.Contains(result, "gina") {
		t.Errorf("result should name the user:\n%s", bottest.Text(result))
	}
	if len(bottest.Executions(h.AuditFor("gina", 4), "revoke")) != 1 {
		t.Error("revoke not recorded as executed once")
	}

	prompt = h.Reply(h.Command(bottest.Support, "disable gina"), 1)
	h.Reply(h.Click(prompt, "confirm:no", bottest.Support), 1)
	if u, _ := h.User("gina"); !u.Enabled {
		t.Fatal("cancel disabled the user")
	}
	phases := map[string]int{}
	for _, e := range h.AuditFor("gina", 8) {
		phases[e.Action+"/"+e.Params["phase"]]++
	}
	if phases["disable/request"] != 1 || phases["disable/cancel"] != 1 || phases["disable/execute"] != 0 {
		t.Errorf("audit phases for the cancelled disable: %v", phases)
	}
}

func TestResetPasswordOfInvitedUserExplainsInstead(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("hank", "hank@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable hank"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)

	// The reason is given at once, before any prompt or write.
	result := h.Reply(h.Command(bottest.Support, "reset-password hank"), 1)
	if !bottest.Contains(result, "disabled") || bottest.Contains(result, "confirm:yes") {
		t.Fatalf("resetting a disabled user should explain why not, without a prompt:\n%s", bottest.Text(result))
	}
}

func TestSeveralMatchesOfferAPick(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("ivy1", "shared@example.com")
	h.CreateUser("ivy2", "shared@example.com")
	list := h.Reply(h.Command(bottest.Admin, "lookup shared@example.com"), 1)
	if !bottest.Contains(list, "ivy1") || !bottest.Contains(list, "ivy2") {
		t.Fatalf("both matches should be listed:\n%s", bottest.Text(list))
	}
	card := h.Reply(h.Click(list, "pick", bottest.Admin), 1)
	if !bottest.Contains(card, "card:disable") {
		t.Fatalf("picking should show the card:\n%s", bottest.Text(card))
	}
}
