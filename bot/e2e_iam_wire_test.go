package bot_test

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
)

// On moto, the actions the other wire tests do not run: every Cognito call each
// makes is checked by the harness against `cognito-bot iam-policy`'s policy for a
// role granted only that action (bottest's IAM check), so a call an action's IAM
// list lacks fails here rather than as AccessDenied in someone's installation.
func TestReadAndSessionActionsStayWithinTheirIAMPolicyOnMoto(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true})
	h.CreateUser("ivy", "ivy@example.com")

	if card := h.Reply(h.Command(bottest.Admin, "lookup ivy"), 1); !bottest.Contains(card, "ivy@example.com") {
		t.Fatalf("lookup:\n%s", bottest.Text(card))
	}
	if list := h.Reply(h.Command(bottest.Admin, "list"), 1); !bottest.Contains(list, "ivy") {
		t.Fatalf("list:\n%s", bottest.Text(list))
	}
	for _, action := range []string{"revoke", "reset-password", "disable"} {
		prompt := h.Reply(h.Command(bottest.Admin, action+" ivy"), 1)
		h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	}
	h.Reply(h.Command(bottest.Admin, "enable ivy"), 1)
	if hist := h.Reply(h.Command(bottest.Admin, "audit ivy"), 1); !bottest.Contains(hist, "enable") {
		t.Fatalf("audit:\n%s", bottest.Text(hist))
	}
	entries := h.AuditFor("ivy", 6)
	for _, action := range []string{"revoke", "reset-password", "disable", "enable"} {
		var ok bool
		for _, e := range entries {
			ok = ok || (e.Action == action && e.Outcome == audit.OutcomeOK && e.Decision == audit.Allowed)
		}
		if !ok {
			t.Errorf("no successful %s in ivy's audit log", action)
		}
	}
}
