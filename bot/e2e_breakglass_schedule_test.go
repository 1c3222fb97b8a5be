package bot_test

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// A break-glass request scheduled with --at: the approvers hear of it when it
// is scheduled, and again, with what it did, when it runs at its time (the
// notice in #approvals and a DM to each approver); `audit --break-glass` lists
// both.
func TestScheduledBreakGlassIsAnnouncedAgainWhenItRuns(t *testing.T) {
	t.Parallel()
	h, clock := scheduleWorld(t, bottest.Options{Approvals: true, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "oncall", Members: []string{bottest.Support}, BreakGlass: true,
			Actions: []config.Action{actions.Lookup, actions.Delete}})
	}})
	h.CreateUser("vic", "vic@example.com")
	at := clock.Now().Add(2 * time.Hour).Format(time.RFC3339)
	prompt := h.Reply(h.Command(bottest.Support, `delete vic --break-glass --reason "prod incident INC-11" --at `+at), 1)
	if !bottest.Contains(prompt, "BREAK-GLASS") || !bottest.Contains(prompt, "confirm:yes") {
		t.Fatalf("a scheduled break-glass delete should ask its requester to confirm:\n%s", bottest.Text(prompt))
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	inApprovals := func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "BREAK-GLASS") && bottest.Contains(m, "INC-11")
	}
	h.WaitMessage("the notice when it was scheduled", inApprovals)
	if u, _ := h.User("vic"); u == nil || !u.Enabled {
		t.Fatal("vic was deleted at once instead of at the scheduled time")
	}

	clock.Advance(2*time.Hour + time.Minute)
	sweep(h)
	h.Eventually("vic disabled for the undo window at the scheduled time", func() bool { u, _ := h.User("vic"); return u != nil && !u.Enabled })
	ran := h.WaitMessage("the notice when it ran", func(m slackemu.Message) bool {
		return inApprovals(m) && bottest.Contains(m, "at its time") && bottest.Contains(m, "vic")
	})
	if !bottest.Contains(ran, "without approval") {
		t.Errorf("the run's notice does not say it ran without approval:\n%s", bottest.Text(ran))
	}
	if n := len(h.Slack.Messages(inApprovals)); n != 2 {
		t.Errorf("%d break-glass notices in #approvals; want 2 (scheduled, then ran)", n)
	}
	for _, approver := range []string{bottest.Approver, bottest.Approver2} {
		h.WaitMessage("a DM to approver "+approver+" when it ran", func(m slackemu.Message) bool {
			return m.Channel == h.Slack.DMChannel(approver) && bottest.Contains(m, "BREAK-GLASS") && bottest.Contains(m, "at its time")
		})
	}
	listed := h.Reply(h.Command(bottest.Admin, "audit --break-glass"), 1)
	if !bottest.Contains(listed, "break-glass delete of vic: at its time") {
		t.Errorf("audit --break-glass does not list the scheduled run:\n%s", bottest.Text(listed))
	}
}
