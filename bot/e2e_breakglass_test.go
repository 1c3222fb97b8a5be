package bot_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// Break-glass: a role with break_glass runs a delete that needs approval at
// once, with a reason; the approvals channel gets a loud notice, every
// approver a DM, and the audit marks it (audit --break-glass lists it).
// Without a reason, or by a role without break_glass, it is refused with a
// sentence and audited, and nothing changes.
func TestBreakGlassSkipsApprovalLoudly(t *testing.T) {
	t.Parallel()
	testBreakGlass(t, false)
}

func TestBreakGlassSkipsApprovalLoudlyWire(t *testing.T) {
	t.Parallel()
	testBreakGlass(t, true)
}

func testBreakGlass(t *testing.T, wire bool) {
	h := bottest.New(t, &bottest.Options{Wire: wire, Approvals: true, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "oncall", Members: []string{bottest.Support}, BreakGlass: true,
			Actions: []config.Action{actions.Lookup, actions.Delete}})
	}})
	h.CreateUser("vic", "vic@example.com")
	for _, c := range []struct{ user, cmd, want string }{
		{bottest.Support, "delete vic --break-glass", "needs a reason"},
		{bottest.Admin, `delete vic --break-glass --reason "prod incident"`, "may break glass"},
	} {
		answer := h.Reply(h.Command(c.user, c.cmd), 1)
		if !bottest.Contains(answer, c.want) || !bottest.Contains(answer, "Nothing was done") {
			t.Errorf("%s by %s: want a sentence saying %q, got:\n%s", c.cmd, c.user, c.want, bottest.Text(answer))
		}
	}
	if u, _ := h.User("vic"); u == nil || !u.Enabled {
		t.Fatal("a refused break-glass changed vic")
	}
	prompt := h.Reply(h.Command(bottest.Support, `delete vic --break-glass --reason "prod incident INC-9"`), 1)
	if !bottest.Contains(prompt, "BREAK-GLASS") || !bottest.Contains(prompt, "confirm:yes") {
		t.Fatalf("break-glass should ask the requester to confirm, saying what happens:\n%s", bottest.Text(prompt))
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if u, _ := h.User("vic"); u == nil || u.Enabled {
		t.Fatal("the break-glass delete did not run at once (disable for the undo window)")
	}
	h.WaitMessage("the loud notice in #approvals", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "BREAK-GLASS") && bottest.Contains(m, "INC-9")
	})
	for _, approver := range []string{bottest.Approver, bottest.Approver2} {
		h.WaitMessage("a DM to approver "+approver, func(m slackemu.Message) bool {
			return m.Channel == h.Slack.DMChannel(approver) && bottest.Contains(m, "BREAK-GLASS")
		})
	}
	execs := bottest.Executions(h.AuditFor("vic", 2), "delete")
	if len(execs) != 1 || execs[0].Params["arg.break-glass"] != "true" || execs[0].ApprovalID != "" {
		t.Fatalf("want one execution marked break-glass without an approval, got %+v", execs)
	}
	var denied int
	for _, e := range h.AuditFor("vic", 3) {
		if e.Decision == audit.Denied && strings.Contains(e.DenyReason, "break") {
			denied++
		}
	}
	if denied != 2 {
		t.Errorf("want 2 audited break-glass refusals, got %d", denied)
	}
	listed := h.Reply(h.Command(bottest.Admin, "audit --break-glass"), 1)
	if !bottest.Contains(listed, "break-glass delete of vic") {
		t.Errorf("audit --break-glass does not list the run:\n%s", bottest.Text(listed))
	}
}
