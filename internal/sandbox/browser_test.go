package sandbox

import (
	"strings"
	"testing"
)

const (
	helpdesk = "U0SBHELPDESK"
	approver = "U0SBAPPROVER"
	viewer   = "U0SBVIEWER"
)

func TestHelpdeskDisablesAliceThroughTheConfirmDialog(t *testing.T) {
	t.Parallel()
	sb, p := openSandboxPage(t)
	p.as(helpdesk, ChannelSupport)
	p.command("/cognito lookup alice")
	p.waitText("the card renders", ".msg.ephemeral .bk-header", "alice")
	if card := p.text(".msg.ephemeral"); !strings.Contains(card, "Only visible to you") || !strings.Contains(card, "alice@example.com") {
		t.Errorf("the lookup card should show alice's email, visible only to the helpdesk:\n%s", card)
	}
	cardTS := eval[string](p, "reading the card's ts", `document.querySelector(".msg.ephemeral").dataset.ts`)

	p.click("clicking Disable", `.msg.ephemeral button[data-action-id="card:disable"]`)
	p.waitText("the confirm dialog appears", "#dialog .bk-dialog-title", "Disable alice?")
	if p.count("#dialog-layer:not([hidden])") != 1 {
		t.Fatal("the confirm dialog is not shown")
	}
	if u, _ := sb.back.Users.GetUser(underIntent(t.Context()), sb.cfg.DefaultPool().ID, "alice"); u == nil || !u.Enabled {
		t.Fatal("alice was disabled before the dialog was confirmed")
	}
	p.screenshot("confirm")
	p.click("confirming", `#dialog [data-dialog=confirm]`)

	p.waitText("the card is replaced by the outcome", `.msg[data-ts="`+cardTS+`"]`, "Disabled alice")
	p.waitText("the audit panel shows the disable", `.audit-entry[data-action="disable"][data-target="alice"][data-outcome="ok"]`, "hal")
	if u, _ := sb.back.Users.GetUser(underIntent(t.Context()), sb.cfg.DefaultPool().ID, "alice"); u == nil || u.Enabled {
		t.Error("alice is still enabled in the directory")
	}
	p.command("/cognito lookup alice")
	p.waitText("a fresh card shows alice disabled", ".msg.ephemeral .bk-field", "Disabled")
	if p.count(`.msg.ephemeral button[data-action-id="card:enable"]`) == 0 {
		t.Error("the fresh card of a disabled alice offers no Enable button")
	}
	p.screenshot("after")
}

func TestDeleteWaitsForTheApproverAndTheRequesterHearsBack(t *testing.T) {
	t.Parallel()
	sb, p := openSandboxPage(t)
	p.as(helpdesk, ChannelSupport)
	p.command("/cognito delete frank")
	p.waitText("the reason modal opens", "#modal-layer .modal-title", "Reason")
	p.run("typing a reason", typeInto(`#modal-layer textarea`, "left the company, ticket HR-7"))
	p.screenshot("modal")
	p.click("submitting the modal", `#modal-layer button[type=submit]`)
	p.waitText("the requester is told it went for approval", ".msg.ephemeral", "approval")

	p.switchTo(approver)
	p.open("approvals")
	p.waitText("the approval card is in #approvals", ".msg .bk-header", "frank")
	p.screenshot("approval-card")
	p.click("approving", `.msg button[data-action-id][class~="bk-primary"]`)
	if p.count("#dialog-layer:not([hidden])") == 1 {
		p.click("confirming the approval", `#dialog [data-dialog=confirm]`)
	}
	p.waitText("the card shows the outcome", ".msg", "scheduled the deletion of frank")

	p.switchTo(helpdesk)
	p.open("cognito-bot")
	p.waitText("the requester's DM says it was done", ".msg", "frank")
	if dm := p.text("#messages"); !strings.Contains(strings.ToLower(dm), "scheduled the deletion") {
		t.Errorf("the requester's DM does not say frank's deletion was scheduled:\n%s", dm)
	}
	// The undo window (72 hours by default) keeps frank, disabled, until it ends.
	if u, _ := sb.back.Users.GetUser(underIntent(t.Context()), sb.cfg.DefaultPool().ID, "frank"); u == nil || u.Enabled {
		t.Error("frank should be kept, disabled, for the undo window")
	}
	p.waitText("the audit panel shows the delete", `.audit-entry[data-action="delete"][data-outcome="ok"]`, "frank")

	// Within the undo window frank's card says so and offers Undo, which restores him.
	p.open("support")
	p.command("/cognito lookup frank")
	p.waitText("frank's card shows the pending deletion", ".msg.ephemeral", "Scheduled for deletion")
	p.click("undoing the deletion", `.msg.ephemeral button[data-action-id="deletion:undo"]`)
	p.waitText("the undo says what it restored", ".msg.ephemeral", "Restored")
	if u, _ := sb.back.Users.GetUser(underIntent(t.Context()), sb.cfg.DefaultPool().ID, "frank"); u == nil || !u.Enabled {
		t.Error("Undo did not enable frank again")
	}
	p.screenshot("done")
}

func TestViewerSeesNoDestructiveButtons(t *testing.T) {
	t.Parallel()
	_, p := openSandboxPage(t)
	p.as(viewer, ChannelSupport)
	p.command("/cognito lookup alice")
	p.waitText("the card renders", ".msg.ephemeral .bk-header", "alice")
	for _, action := range []string{"disable", "enable", "reset-password", "revoke", "delete"} {
		if n := p.count(`.msg button[data-action-id="card:` + action + `"]`); n > 0 {
			t.Errorf("the viewer sees a %s button", action)
		}
	}
	if n := p.count(".msg .bk-danger"); n > 0 {
		t.Errorf("the viewer sees %d danger buttons", n)
	}
	p.command("/cognito disable alice")
	p.waitText("the viewer is refused", ".msg.ephemeral", "Not allowed")
	p.waitText("the refusal is audited", `.audit-entry[data-outcome="denied"]`, "vic")
	p.screenshot("viewer")
}
