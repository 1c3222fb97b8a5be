package bot_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
)

// A bulk job's dry run is its confirmation: it names the group a group job
// puts its users into (or takes them out of), so the requester confirms
// exactly what will happen.
func TestBulkDryRunNamesTheJobsGroup(t *testing.T) {
	h := bottest.New(t, nil)
	names := makeUsers(h, "grp", 2)
	for _, action := range []string{"add-to-group", "remove-from-group"} {
		dry := h.Reply(h.Command(bottest.Admin, "bulk "+action+" support "+strings.Join(names, " ")), 1)
		if !bottest.Contains(dry, "bulk:confirm") {
			t.Fatalf("bulk %s should show a dry run to confirm:\n%s", action, bottest.Text(dry))
		}
		if !bottest.Contains(dry, "support") {
			t.Errorf("the dry run of bulk %s does not say which group:\n%s", action, bottest.Text(dry))
		}
	}
}

// The dry run shows the job's reason whole, however much of it Slack's
// formatting characters make it grow when escaped.
func TestBulkDryRunShowsTheWholeReason(t *testing.T) {
	h := bottest.New(t, nil)
	names := makeUsers(h, "rsn", 1)
	reason := strings.Repeat("<&>*", 120) + " end-of-reason"
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable "+names[0]+` --reason "`+reason+`"`), 1)
	if !bottest.Contains(dry, "bulk:confirm") {
		t.Fatalf("bulk disable should show a dry run to confirm:\n%s", bottest.Text(dry))
	}
	if !bottest.Contains(dry, "end-of-reason") {
		t.Errorf("the dry run hides the end of the reason:\n%s", bottest.Text(dry))
	}
}
