package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// A bulk job's dry run is its confirmation: it names the group a group job
// puts its users into (or takes them out of), so the requester confirms
// exactly what will happen.
func TestBulkDryRunNamesTheJobsGroup(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// An import shows its requester (the dry run) and its approver the groups the
// file puts its users into: nobody can judge an import without them.
func TestImportApprovalCardNamesTheGroupsItAddsTo(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: bulkApprovals})
	lines := []string{"username,email,groups"}
	for i := range 4 {
		lines = append(lines, fmt.Sprintf("imp%02d,imp%02d@example.com,", i, i))
	}
	lines[4] += "support" // the last line only
	dry := importCSV(t, h, strings.Join(lines, "\n"), false)
	if !bottest.Contains(dry, "Ask approval for 4 users") {
		t.Fatalf("the import should need approval:\n%s", bottest.Text(dry))
	}
	if !bottest.Contains(dry, "support") {
		t.Errorf("the import's dry run does not say which groups it adds users to:\n%s", bottest.Text(dry))
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	card := h.WaitMessage("import approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	if !bottest.Contains(card, "support") {
		t.Errorf("the import's approval card does not say which groups it adds users to:\n%s", bottest.Text(card))
	}
}

// A reason that is only spaces is no reason: where one is required, the
// request waits for a real one and nothing is done.
func TestBlankReasonDoesNotSatisfyARequiredReason(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Actions = map[config.Action]config.ActionOptions{actions.Disable: {RequireReason: true}}
	}})
	h.CreateUser("pia", "pia@example.com")
	h.Slack.InjectFault("views.open", 1, slackemu.Fault{Error: "expired_trigger_id"})
	res := h.Reply(h.Command(bottest.Admin, `disable pia --reason "   "`), 1)
	if !bottest.Contains(res, "needs a reason") {
		t.Errorf("a blank reason should not count:\n%s", bottest.Text(res))
	}
	if u, _ := h.User("pia"); !u.Enabled {
		t.Fatal("pia was disabled with a blank reason")
	}
}
