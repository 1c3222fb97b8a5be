package sandbox

import (
	"strings"
	"testing"
	"time"
)

// The helpdesk schedules alice's disable for later in their own Slack time
// zone, finds it under `scheduled`, and cancels it; alice is never disabled.
func TestHelpdeskSchedulesADisableAndCancelsIt(t *testing.T) {
	t.Parallel()
	sb, p := openSandboxPage(t)
	p.as(helpdesk, ChannelSupport)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(3 * time.Hour).In(london).Format("2006-01-02 15:04")
	p.command(`/cognito disable alice --at "` + at + `"`)
	p.waitText("the confirm prompt shows the time", ".msg.ephemeral", "Scheduled for")
	p.click("confirming", `.msg.ephemeral button[data-action-id="confirm:yes"]`)
	p.waitText("the answer says it is scheduled", ".msg.ephemeral", "Scheduled to disable")

	p.command("/cognito scheduled")
	p.waitText("the list shows alice", ".msg.ephemeral .bk-header", "Scheduled actions")
	if list := p.text("#messages"); !strings.Contains(list, "alice") {
		t.Fatalf("scheduled does not list alice:\n%s", list)
	}
	p.screenshot("scheduled")
	p.click("cancelling", `.msg.ephemeral button[data-action-id="schedule:cancel"]`)
	p.waitText("the cancel is confirmed", ".msg.ephemeral", "will not run")
	if u, _ := sb.back.Users.GetUser(underIntent(t.Context()), sb.cfg.DefaultPool().ID, "alice"); u == nil || !u.Enabled {
		t.Error("alice was disabled")
	}
}
