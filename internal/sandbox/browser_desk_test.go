package sandbox

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const admin = "U0SBADMIN"

// clickText clicks the first element matched by css whose text contains text.
func (p *page) clickText(what, css, text string) {
	p.t.Helper()
	p.waitText(what, css, text)
	ok := eval[bool](p, what, `(() => { const e = Array.from(document.querySelectorAll(`+jsString(css)+`)).find(e => e.innerText.includes(`+jsString(text)+`)); if (e) e.click(); return !!e })()`)
	if !ok {
		p.t.Fatalf("%s: nothing matches %s with %q", what, css, text)
	}
}

func TestAdminCreatesAUserThroughTheForm(t *testing.T) {
	t.Parallel()
	sb, p := openSandboxPage(t)
	p.as(admin, ChannelSupport)
	p.command("/cognito create")
	p.waitText("the create form opens", "#modal-layer .modal-title", "Create user")
	p.run("filling in username and email",
		typeInto(`#modal-layer input[name="username/value"]`, "zoe"),
		typeInto(`#modal-layer input[name="attr:email/value"]`, "zoe@example.com"))
	p.screenshot("create-form")
	p.click("opening the groups menu", `#modal-layer .bk-multi summary`)
	p.clickText("ticking support", `#modal-layer .bk-menu-option`, "support")
	p.waitText("support shows as a chip", `#modal-layer .bk-chip`, "support")
	p.screenshot("create-form-menu")
	p.click("closing the menu", `#modal-layer .bk-label`)
	p.clickText("suppressing the invitation", `#modal-layer .bk-choice`, "Don't send an invitation")
	p.screenshot("create-form-filled")
	p.click("submitting", `#modal-layer button[type=submit]`)

	p.waitText("the new user's card shows", ".msg.ephemeral .bk-header", "zoe")
	answer := p.text(`.msg.ephemeral:has(.bk-header)`)
	m := regexp.MustCompile(`Temporary password.*?: (\S+)`).FindStringSubmatch(answer)
	if m == nil || !strings.Contains(answer, "Only visible to you") {
		t.Fatalf("the ephemeral answer should show the temporary password, only to ada:\n%s", answer)
	}
	password := m[1]
	// The form closes once the emulator has taken the bot's acknowledgement
	// of the submission, which under load can land just after the card the
	// bot posted next.
	p.settle(`document.querySelectorAll("#modal-layer:not([hidden])").length === 0`)
	if p.count("#modal-layer:not([hidden])") != 0 {
		t.Error("the form is still open after creating")
	}
	p.waitText("the audit panel shows the create", `.audit-entry[data-action="create"][data-target="zoe"][data-outcome="ok"]`, "ada")
	if audit := p.text("#audit"); strings.Contains(audit, password) {
		t.Error("the audit panel shows the temporary password")
	}
	if shared := eval[string](p, "reading the shared messages", `Array.from(document.querySelectorAll(".msg:not(.ephemeral)")).map(e => e.innerText).join("\n")`); strings.Contains(shared, password) {
		t.Error("a message everyone sees shows the temporary password")
	}
	p.screenshot("created")

	u, err := sb.back.Users.GetUser(underIntent(t.Context()), sb.cfg.DefaultPool().ID, "zoe")
	if err != nil || u == nil {
		t.Fatalf("zoe is not in the directory: %v", err)
	}
	if u.Attributes["email"] != "zoe@example.com" || !slices.Equal(u.Groups, []string{"support"}) {
		t.Errorf("zoe = email %q, groups %v; want the email typed and the group ticked", u.Attributes["email"], u.Groups)
	}

	p.switchTo(helpdesk)
	p.open("support")
	if seen := p.text("#messages"); strings.Contains(seen, password) {
		t.Error("the helpdesk sees zoe's temporary password")
	}
}

func TestAdminEditFormShowsCurrentValues(t *testing.T) {
	t.Parallel()
	_, p := openSandboxPage(t)
	p.as(admin, ChannelSupport)
	p.command("/cognito edit alice")
	p.waitText("the edit form opens", "#modal-layer .modal-title", "Edit user")
	if got := eval[string](p, "reading the email field", `document.querySelector('#modal-layer input[name="attr:email/value"]').value`); got != "alice@example.com" {
		t.Errorf("the email field holds %q, want alice's email", got)
	}
	p.screenshot("edit-form")
	eval[bool](p, "scrolling to the end of the form", `(() => { const b = document.querySelector("#modal-layer .modal-body"); b.scrollTop = b.scrollHeight; return true })()`)
	if p.count(`#modal-layer .bk-choices[data-kind="checkboxes"] input[value="email"]:not(:checked)`) != 1 {
		t.Error("the edit form lacks the unticked 'Mark a changed email as verified' checkbox")
	}
	p.screenshot("edit-form-end")
}

func TestGroupsOfAUserOfferRemoveAndAdd(t *testing.T) {
	t.Parallel()
	sb, p := openSandboxPage(t)
	p.as(admin, ChannelSupport)
	p.command("/cognito groups alice")
	p.waitText("alice's groups render", ".msg.ephemeral", "Groups of alice")
	if n := p.count(`.msg.ephemeral button.bk-danger[data-action-id="groups:remove"]`); n != 2 {
		t.Errorf("%d Remove buttons, want one per group of alice (2)", n)
	}
	options := eval[[]string](p, "reading the Add menu", `Array.from(document.querySelectorAll('.msg.ephemeral select[data-action-id="groups:add"] option:not([disabled])')).map(o => o.textContent)`)
	if !slices.Equal(options, []string{"admins", "billing", "readonly"}) {
		t.Errorf("the Add menu offers %v, want the groups alice is not in", options)
	}
	p.screenshot("groups")

	p.run("choosing billing", setSelect(`.msg.ephemeral select[data-action-id="groups:add"]`, "billing"))
	p.waitText("the audit panel shows the add", `.audit-entry[data-action="add-to-group"][data-target="alice"][data-outcome="ok"]`, "ada")
	if u, _ := sb.back.Users.GetUser(underIntent(t.Context()), sb.cfg.DefaultPool().ID, "alice"); u == nil || !slices.Contains(u.Groups, "billing") {
		t.Error("alice is not in billing after choosing it from the Add menu")
	}
}

// Files go both ways in the page, as in Slack: the import form uploads the
// chosen CSV with the form (a bad line is reported by line), and an export
// arrives in the requester's direct messages as a file to download.
func TestAdminImportsAFileAndReceivesAnExport(t *testing.T) {
	t.Parallel()
	_, p := openSandboxPage(t)
	p.as(admin, ChannelSupport)
	path := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(path, []byte("username,email\nimp1,imp1@example.com\nimp2,not-an-email\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p.command("/cognito import")
	p.waitText("the import form opens", "#modal-layer .modal-title", "Import users")
	p.run("choosing the file", chromedp.SetUploadFiles(chromedp.CSS(`#modal-layer input[type=file]`), []string{path}))
	p.click("checking it", `#modal-layer button[type=submit]`)
	p.waitText("the bad line is reported", ".msg.ephemeral", "line 3")
	p.screenshot("import-problems")

	p.command("/cognito export --attributes email")
	p.waitText("the export says where the file went", ".msg.ephemeral", "direct messages")
	p.open("cognito-bot")
	p.waitText("the file is in the DM", ".file-card a", ".csv")
	p.screenshot("export-file")
	href := eval[string](p, "reading the download link", `document.querySelector(".file-card a").href`)
	res, err := http.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "username,sub,status") {
		t.Fatalf("download: %d\n%.200s", res.StatusCode, body)
	}
}
