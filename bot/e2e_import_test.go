package bot_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// importCSV opens the import form, attaches content and submits it.
func importCSV(t *testing.T, h *bottest.Harness, content string, suppress bool) slackemu.Message {
	t.Helper()
	d := h.Command(bottest.Admin, "import --reason onboarding")
	view := waitView(t, h, 1)
	if view.CallbackID != bulkview.ImportCallbackID {
		t.Fatalf("import modal:\n%s", view.RenderedText())
	}
	f := h.Slack.PutFileBy(bottest.Admin, "users.csv", []byte(content))
	values := map[string]map[string]string{bulkview.BlockIDFile: {bulkview.FileActionID: f.ID}}
	if suppress {
		values[views.BlockIDInvite] = map[string]string{views.FormValueActionID: views.OptionSuppressInvite}
	}
	submit(t, h, view, bottest.Admin, values)
	return h.Reply(d, 1)
}

func TestImportWithThreeBadLinesWritesNothingAndReportsThem(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("taken", "taken@example.com")
	report := importCSV(t, h, strings.Join([]string{
		"username,email,name,custom:tenant,groups",
		"ann,ann@example.com,Ann,initech,support",
		"bob,not-an-email,Bob,,",
		"cat,cat@example.com,Cat,,nosuchgroup",
		"taken,taken2@example.com,Taken,,",
		"dan,dan@example.com,Dan,,admins;support",
	}, "\n"), false)
	for _, want := range []string{"Nothing was imported", "3 problem", "line 3:", "email address", "line 4:", "nosuchgroup", "line 5:", "already exists"} {
		if !bottest.Contains(report, want) {
			t.Errorf("the report does not say %q:\n%s", want, bottest.Text(report))
		}
	}
	if !report.Ephemeral {
		t.Error("the report should be ephemeral")
	}
	for _, line := range []string{"line 2:", "line 6:"} {
		if bottest.Contains(report, line) {
			t.Errorf("a good line is reported (%s):\n%s", line, bottest.Text(report))
		}
	}
	for _, n := range []string{"ann", "bob", "cat", "dan"} {
		if _, exists := h.User(n); exists {
			t.Errorf("%s was created although the file had problems", n)
		}
	}
	if len(report.Buttons()) != 0 {
		t.Error("a refused import offers a button")
	}
}

func TestImportCreatesEveryUserAsAJobAuditedPerUser(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas})
	dry := importCSV(t, h, strings.Join([]string{
		"username,email,phone_number,name,custom:tenant,groups",
		"ann,ann@example.com,+15555550101,Ann,initech,support",
		"bea,bea@example.com,,Bea,,admins;support",
		"cid,cid@example.com,,\"Cid, Jr\",,",
	}, "\n"), true)
	for _, want := range []string{"3 to import", "ann", "cannot sign in until they are invited later", "Import 3 users"} {
		if !bottest.Contains(dry, want) {
			t.Errorf("the dry run does not say %q:\n%s", want, bottest.Text(dry))
		}
	}
	if _, exists := h.User("ann"); exists {
		t.Fatal("the dry run created a user")
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	_, rows := resultsCSV(t, h)
	if len(rows) != 4 {
		t.Fatalf("%d result rows; want 3", len(rows)-1)
	}
	want := map[string]struct{ name, tenant, groups, phone string }{
		"ann": {"Ann", "initech", "support", "+15555550101"},
		"bea": {"Bea", "", "admins,support", ""},
		"cid": {"Cid, Jr", "", "", ""},
	}
	for i, row := range rows[1:] {
		if row[3] != "done" {
			t.Errorf("row %d = %v; want done", i, row)
		}
		u, ok := h.User(row[0])
		w := want[row[0]]
		if !ok || u.Attributes["name"] != w.name || u.Attributes["custom:tenant"] != w.tenant || strings.Join(u.Groups, ",") != w.groups ||
			u.Phone != w.phone || u.Email != row[0]+"@example.com" || u.Status != "FORCE_CHANGE_PASSWORD" {
			t.Errorf("%s = %+v; want %+v, invited later", row[0], u, w)
			continue
		}
		var entries int
		for _, e := range h.AuditFor(row[0], 1) {
			if e.Action == "import" && e.Params["job"] != "" && e.Outcome == "ok" {
				entries++
				if e.Target.Sub != u.Sub {
					t.Errorf("%s's entry names sub %q; want %q", row[0], e.Target.Sub, u.Sub)
				}
			}
		}
		if entries != 1 {
			t.Errorf("%s has %d import entries; want exactly 1", row[0], entries)
		}
	}
	for _, m := range h.Slack.Messages(func(slackemu.Message) bool { return true }) {
		if bottest.Contains(m, "assword:") {
			t.Errorf("a message shows a password:\n%s", bottest.Text(m))
		}
	}
}

func TestImportThenExportOnMotoAndDynamoDB(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true})
	dry := importCSV(t, h, "username,email,name,groups\nwim,wim@example.com,Wim,support\nwes,wes@example.com,=Wes,\n", false)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	_, rows := resultsCSV(t, h)
	if len(rows) != 3 || rows[1][3] != "done" || rows[2][3] != "done" {
		t.Fatalf("import results %v", rows)
	}
	wim, ok := h.User("wim")
	if !ok || wim.Attributes["name"] != "Wim" || strings.Join(wim.Groups, ",") != "support" {
		t.Fatalf("wim on moto = %+v", wim)
	}
	h.Reply(h.Command(bottest.Admin, "export --attributes email,name --with-groups"), 1)
	ctx, cancel := h.Timeout()
	defer cancel()
	var export []slackemu.File
	if err := h.Slack.Wait(ctx, func() bool { export = h.Slack.Files(); return len(export) == 2 }); err != nil {
		t.Fatal("no export file")
	}
	content := string(export[1].Content)
	for _, want := range []string{"wim," + wim.Sub + ",", ",wim@example.com,Wim,support\n", ",'=Wes,"} {
		if !strings.Contains(content, want) {
			t.Errorf("export lacks %q:\n%s", want, content)
		}
	}
}
