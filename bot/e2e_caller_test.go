package bot_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

func callerWorld(t *testing.T, wire bool) *bottest.Harness {
	t.Helper()
	return bottest.New(t, &bottest.Options{Wire: wire, Configure: func(c *config.Config) {
		c.CallerVerification.Actions = []config.Action{actions.ResetPassword}
	}})
}

// A reset-password that needs the caller verified shows masked facts and a
// required box: Confirm without it is refused (audited), with it the reset
// runs and the audit says who verified the caller against which facts.
func TestCallerVerificationGatesConfirm(t *testing.T) {
	t.Parallel()
	testCallerVerification(t, false)
}

func TestCallerVerificationGatesConfirmWire(t *testing.T) {
	t.Parallel()
	testCallerVerification(t, true)
}

func testCallerVerification(t *testing.T, wire bool) {
	h := callerWorld(t, wire)
	h.CreateUser("rae", "rae.smith@example.com", map[string]string{"phone_number": "+15555550142"})
	prompt := h.Reply(h.Command(bottest.Support, "reset-password rae"), 1)
	for _, want := range []string{"Verify the caller", "r***@example.com", "ends in 42", "Account created", views.ActionIDCallerVerified} {
		if !bottest.Contains(prompt, want) {
			t.Errorf("the prompt does not show %q:\n%s", want, bottest.Text(prompt))
		}
	}
	for _, never := range []string{"rae.smith@example.com", "5555550142"} {
		if bottest.Contains(prompt, never) {
			t.Errorf("the prompt shows %q in full", never)
		}
	}
	refused := h.Reply(h.ClickTicked(prompt, "confirm:yes", bottest.Support, nil), 1)
	if !bottest.Contains(refused, "The caller confirmed these") || !bottest.Contains(refused, "Nothing was done") {
		t.Fatalf("Confirm without the box should be refused with a sentence:\n%s", bottest.Text(refused))
	}
	if n := len(bottest.Executions(h.AuditFor("rae", 1), "reset-password")); n != 0 {
		t.Fatalf("the reset ran %d times without the caller verified", n)
	}
	done := h.Reply(h.ClickTicked(prompt, "confirm:yes", bottest.Support,
		map[string][]string{views.ActionIDCallerVerified: {views.CallerVerifiedValue}}), 1)
	if !bottest.Contains(done, "Reset the password of") {
		t.Fatalf("Confirm with the box ticked should reset:\n%s", bottest.Text(done))
	}
	var refusedEntries, verified int
	for _, e := range h.AuditFor("rae", 3) {
		switch {
		case e.Decision == audit.Denied && e.DenyReason == "caller not verified":
			refusedEntries++
		case e.Params["phase"] == "caller-verified" && e.Actor.UserID == bottest.Support &&
			strings.Contains(e.Message, "caller verified by "+bottest.Support) && strings.Contains(e.Params["facts"], "r***@example.com"):
			verified++
			if strings.Contains(e.Params["facts"], "rae.smith") {
				t.Errorf("the audit keeps the full email: %v", e.Params)
			}
		}
	}
	if refusedEntries != 1 || verified != 1 {
		t.Errorf("audit: %d refusals and %d verifications; want 1 and 1", refusedEntries, verified)
	}
}

// The card's Reset password button (Slack's own dialog) does not skip the
// check: it leads to the bot's prompt with the facts and the box.
func TestCallerVerificationCannotBeSkippedFromTheCard(t *testing.T) {
	t.Parallel()
	h := callerWorld(t, false)
	h.CreateUser("sam", "sam@example.com")
	card := h.Reply(h.Command(bottest.Support, "lookup sam"), 1)
	prompt := h.Reply(h.Click(card, "card:reset-password", bottest.Support), 1)
	if !bottest.Contains(prompt, views.ActionIDCallerVerified) {
		t.Fatalf("the card button skipped caller verification:\n%s", bottest.Text(prompt))
	}
	if n := len(bottest.Executions(h.AuditFor("sam", 1), "reset-password")); n != 0 {
		t.Fatal("the card button reset the password without the caller verified")
	}
}
