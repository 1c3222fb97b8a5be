package sandbox

import (
	"testing"
)

// The approver finds a delete waiting for them in the app's Home tab and
// approves it from there.
func TestApproverApprovesFromTheHomeTab(t *testing.T) {
	t.Parallel()
	sb, p := openSandboxPage(t)
	p.as(helpdesk, ChannelSupport)
	p.command(`/cognito delete frank --reason "left the company"`)
	p.waitText("the requester is told it went for approval", ".msg.ephemeral", "approval")

	p.switchTo(approver)
	p.open("Home (cognito-bot)")
	p.waitText("the Home tab lists the approval", ".msg.home", "frank")
	p.screenshot("home")
	p.click("approving from the Home tab", `.msg.home button[data-action-id="approval:approve"]`)
	if p.count("#dialog-layer:not([hidden])") == 1 {
		p.click("confirming the approval", `#dialog [data-dialog=confirm]`)
	}
	p.waitText("the Home tab no longer offers it", ".msg.home", "Nothing to approve")
	if u, _ := sb.back.Users.GetUser(underIntent(t.Context()), sb.cfg.DefaultPool().ID, "frank"); u == nil || u.Enabled {
		t.Error("approving from the Home tab did not disable frank (the delete's undo window)")
	}
}
