package bot_test

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// A bulk job never needs less than the same action on one user: nobody can
// verify a caller per target of a job, so a bulk reset-password that needs
// the caller verified is refused and resets nobody.
func TestCallerVerificationCannotBeSkippedByABulkJob(t *testing.T) {
	t.Parallel()
	h := callerWorld(t, false)
	h.CreateUser("ann", "ann@example.com")
	h.CreateUser("bob", "bob@example.com")
	answer := h.Reply(h.Command(bottest.Admin, "bulk reset-password ann bob"), 1)
	if bottest.Contains(answer, bulkview.ActionIDBulkConfirm) {
		h.Click(answer, bulkview.ActionIDBulkConfirm, bottest.Admin)
		h.WaitMessage("the job's end", func(m slackemu.Message) bool {
			return bottest.Contains(m, "done") || bottest.Contains(m, "finished")
		})
	}
	if !bottest.Contains(answer, "caller") {
		t.Errorf("the refusal should say the caller must be verified one user at a time:\n%s", bottest.Text(answer))
	}
	for _, name := range []string{"ann", "bob"} {
		if n := len(bottest.Executions(h.AuditFor(name, 0), "reset-password")); n != 0 {
			t.Errorf("a bulk job reset %s's password without the caller verified", name)
		}
	}
}
