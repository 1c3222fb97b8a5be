package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
)

func TestBulkAloneOpensAModalForPastedUsersThenTheDryRun(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas})
	names := makeUsers(h, "paste", 4)
	d := h.Command(bottest.Admin, "bulk disable --reason offboarding")
	view := waitView(t, h, 1)
	if view.CallbackID != bulkview.BulkUsersCallbackID || !strings.Contains(view.RenderedText(), "disable") {
		t.Fatalf("bulk users modal:\n%s", view.RenderedText())
	}
	// Nothing given: refused in place, the modal stays open.
	submit(t, h, view, bottest.Admin, map[string]map[string]string{})
	ctx, cancel := h.Timeout()
	defer cancel()
	if err := h.Slack.Wait(ctx, func() bool { v, _ := h.Slack.View(view.ID); return v.Errors[bulkview.BlockIDBulkUsers] != "" }); err != nil {
		t.Fatal("an empty list should be refused in the modal")
	}
	pasted := names[0] + "\n" + names[1] + ", " + names[2] + "@example.com\n\nnobody"
	submit(t, h, view, bottest.Admin, map[string]map[string]string{bulkview.BlockIDBulkUsers: {views.FormValueActionID: pasted}})
	dry := h.Reply(d, 1)
	for _, want := range []string{"4 matched", "3 to disable", "nobody — not found", "offboarding"} {
		if !bottest.Contains(dry, want) {
			t.Errorf("dry run does not say %q:\n%s", want, bottest.Text(dry))
		}
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	resultsCSV(t, h)
	for i, n := range names {
		if u, _ := h.User(n); u.Enabled == (i < 3) {
			t.Errorf("%s enabled=%v after the job", n, u.Enabled)
		}
	}
}

func TestBulkModalTakesAFileOfUsers(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: fastQuotas})
	names := makeUsers(h, "file", 30)
	var csv strings.Builder
	csv.WriteString("email,username,note\n")
	for _, n := range names {
		fmt.Fprintf(&csv, "%s@example.com,%s,\"left, 2026\"\n", n, n)
	}
	d := h.Command(bottest.Admin, "bulk disable")
	view := waitView(t, h, 1)
	f := h.Slack.PutFileBy(bottest.Admin, "leavers.csv", []byte(csv.String()))
	submit(t, h, view, bottest.Admin, map[string]map[string]string{bulkview.BlockIDFile: {bulkview.FileActionID: f.ID}})
	dry := h.Reply(d, 1)
	if !bottest.Contains(dry, "30 matched") || !bottest.Contains(dry, "30 to disable") {
		t.Fatalf("dry run of the file:\n%s", bottest.Text(dry))
	}
}
