package sandbox

import (
	"strings"
	"testing"
)

// A password reset shows masked facts to check with the caller; Confirm
// without ticking "The caller confirmed these" is refused, with it it runs.
func TestHelpdeskVerifiesTheCallerBeforeAReset(t *testing.T) {
	t.Parallel()
	_, p := openSandboxPage(t)
	p.as(helpdesk, ChannelSupport)
	p.command("/cognito reset-password alice")
	p.waitText("the prompt asks to verify the caller", ".msg.ephemeral", "Verify the caller")
	if prompt := p.text(".msg.ephemeral"); strings.Contains(prompt, "alice@example.com") || !strings.Contains(prompt, "a***@example.com") {
		t.Errorf("the prompt should show the email masked only:\n%s", prompt)
	}
	p.screenshot("facts")
	p.click("confirming without the box", `.msg.ephemeral button[data-action-id="confirm:yes"]`)
	p.waitText("the click is refused", ".msg.ephemeral", "tick “The caller confirmed these”")
	p.click("ticking the box", `.msg.ephemeral .bk-choices[data-action-id="caller:verified"] input[type=checkbox]`)
	p.click("confirming", `.msg.ephemeral button[data-action-id="confirm:yes"]`)
	p.waitText("the reset is done", ".msg", "Reset the password of alice")
	p.waitText("the audit panel shows who verified the caller", `.audit-entry[data-action="reset-password"]`, "caller verified")
}
