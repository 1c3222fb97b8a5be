package bot_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// A bulk delete's runner dies after it scheduled its target's deletion and
// disabled them; before the other replica takes the job over, an admin
// undoes that deletion. The resumed target does not delete the user again:
// they stay enabled, in their groups, with no deletion pending, and the job
// reports the target skipped, saying who undid it, in its progress, its
// results and the audit log.
func TestResumedBulkDeleteLeavesAUserWhoseDeletionWasUndone(t *testing.T) {
	t.Parallel()
	undoNow, undone := make(chan struct{}), make(chan struct{})
	var once sync.Once
	letDie := func() { once.Do(func() { close(undone) }) }
	h, entered := bulkDeleteWorld(t, stallBulkCall{method: "SignOut", atDeath: func() {
		close(undoNow)
		<-undone
	}})
	// Registered after the harness: run before its stop, so a failing test
	// lets the stalled runner go on.
	t.Cleanup(letDie)
	h.CreateUser("ru1", "ru1@example.com")
	if _, err := h.Users.AddToGroup(bottest.Fixture(context.Background()), h.Pool.ID, "ru1", "support"); err != nil {
		t.Fatal(err)
	}
	jobID := confirmBulkDelete(t, h, "ru1")

	ctx, cancel := h.Timeout()
	defer cancel()
	select {
	case <-undoNow:
	case <-ctx.Done():
		t.Fatal("no runner reached the target's sign-out")
	}
	if u, _ := h.User("ru1"); u == nil || u.Enabled {
		t.Fatal("ru1 should be disabled by the job's delete before the undo")
	}
	if answer := h.Reply(h.Command(bottest.Admin2, "undo ru1"), 1); !bottest.Contains(answer, "Restored") {
		t.Fatalf("the undo did not restore ru1:\n%s", bottest.Text(answer))
	}
	letDie()
	died := waitDeath(t, h, entered)
	h.Eventually("the job finished", func() bool { return h.Job(jobID).State == audit.JobFinished })

	tg := jobTarget(t, h, jobID, 0)
	if tg.State != audit.TargetSkipped || !strings.Contains(tg.Note, "undone by <@"+bottest.Admin2+">") ||
		!strings.Contains(tg.Note, "not deleted again") {
		t.Errorf("the resumed target is %s (%q); want SKIPPED, undone by Admin2, not deleted again", tg.State, tg.Note)
	}
	u, _ := h.User("ru1")
	if u == nil || !u.Enabled || !slices.Contains(u.Groups, "support") {
		t.Errorf("ru1 = %+v; want them enabled and still in support, as the undo left them", u)
	}
	if waiting := hardDeletesOf(t, h, "ru1"); len(waiting) != 0 {
		t.Errorf("%d deletions of ru1 waiting after the undo; want none", len(waiting))
	}
	if first := auditEntry(t, h, "bulk#"+jobID+"#0"); first.Outcome != audit.OutcomeOK {
		t.Errorf("the dead runner's attempt: %s %q; want OK, its deletion took effect before the undo", first.Outcome, first.Message)
	}
	again := auditEntry(t, h, "bulk#"+jobID+"#0#"+bottest.ReplicaName(int(1-died)))
	if again.Outcome != audit.OutcomeOK || !strings.HasPrefix(again.Message, "Skipped ru1: ") || !strings.Contains(again.Message, "not deleted again") {
		t.Errorf("the survivor's attempt: %s %q; want it skipped, saying the deletion was undone", again.Outcome, again.Message)
	}
	h.WaitMessage("the progress message saying finished, none done and one skipped", func(m slackemu.Message) bool {
		return bottest.Contains(m, "Bulk delete") && bottest.Contains(m, "finished") &&
			bottest.Contains(m, "0 done") && bottest.Contains(m, "1 skipped")
	})
	if _, rows := resultsCSV(t, h); len(rows) != 2 || rows[1][0] != "ru1" || rows[1][3] != "skipped" || !strings.Contains(rows[1][4], "not deleted again") {
		t.Errorf("results = %q; want ru1 skipped with the reason", rows)
	}
}

// A deletion someone else asked for and someone undid is not the job's: a
// bulk delete whose runner died before reading the user deletes them when the
// other replica resumes the target, as it would any user.
func TestResumedBulkDeleteDeletesAUserWhoseOtherDeletionWasUndone(t *testing.T) {
	t.Parallel()
	h, entered := bulkDeleteDyingWorld(t, "GetUser")
	h.CreateUser("ru2", "ru2@example.com")
	confirmDelete(t, h, "ru2", "")
	if answer := h.Reply(h.Command(bottest.Admin2, "undo ru2"), 1); !bottest.Contains(answer, "Restored") {
		t.Fatalf("the undo did not restore ru2:\n%s", bottest.Text(answer))
	}
	jobID := confirmBulkDelete(t, h, "ru2")
	waitDeath(t, h, entered)
	h.Eventually("the job finished", func() bool { return h.Job(jobID).State == audit.JobFinished })
	if tg := jobTarget(t, h, jobID, 0); tg.State != audit.TargetDone {
		t.Errorf("the resumed target is %s (%q); want DONE", tg.State, tg.Note)
	}
	if u, _ := h.User("ru2"); u == nil || u.Enabled {
		t.Error("ru2 should be disabled and kept for the undo window of the job's deletion")
	}
	if waiting := hardDeletesOf(t, h, "ru2"); len(waiting) != 1 || waiting[0].JobID != jobID {
		t.Errorf("deletions of ru2 waiting: %+v; want the job's one", waiting)
	}
}
