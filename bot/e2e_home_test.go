package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// openHome opens user's Home tab and waits for the bot to publish it anew.
func openHome(t *testing.T, h *bottest.Harness, user string) slackemu.View {
	t.Helper()
	before, _ := h.Slack.HomeView(user)
	ctx, cancel := h.Timeout()
	defer cancel()
	if _, err := h.Slack.AppHomeOpened(ctx, user); err != nil {
		t.Fatal(err)
	}
	return waitHome(t, h, user, before)
}

// waitHome waits until user's Home tab differs from before (a new publish).
func waitHome(t *testing.T, h *bottest.Harness, user string, before slackemu.View) slackemu.View {
	t.Helper()
	var v slackemu.View
	h.Eventually(user+"'s Home tab published", func() bool {
		var ok bool
		v, ok = h.Slack.HomeView(user)
		return ok && v.Hash != before.Hash
	})
	return v
}

// The Home tab shows the approvals waiting for the viewer (Approve works from
// it), their own waiting requests, their scheduled actions (Cancel works from
// it) and their recent actions.
func TestAppHomeShowsMyDeskAndItsButtonsWork(t *testing.T) {
	t.Parallel()
	testAppHome(t, false)
}

func TestAppHomeShowsMyDeskAndItsButtonsWorkWire(t *testing.T) {
	t.Parallel()
	testAppHome(t, true)
}

func testAppHome(t *testing.T, wire bool) {
	h, clock := scheduleWorld(t, bottest.Options{Approvals: true, Wire: wire})
	h.Slack.SetUser(slack.User{ID: bottest.Approver, Name: "approver"})
	h.CreateUser("tia", "tia@example.com")
	h.CreateUser("uma", "uma@example.com")
	card := requestDelete(t, h, bottest.Admin, "tia", "")
	typed, _ := inBerlin(t, clock.Now(), 48*time.Hour)
	prompt := h.Reply(h.Command(bottest.Admin, `disable uma --at "`+typed+`"`), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)

	mine := openHome(t, h, bottest.Admin)
	text := string(mine.Blocks)
	for _, want := range []string{"Your requests waiting for someone", "tia", "waiting for an approver",
		"Your scheduled actions", "uma", views.ActionIDScheduleCancel, "Your recent actions", "Nothing to approve"} {
		if !strings.Contains(text, want) {
			t.Errorf("the requester's Home tab lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, views.ActionIDApprovalApprove) {
		t.Error("the requester is offered Approve on their own request")
	}

	theirs := openHome(t, h, bottest.Approver)
	if !strings.Contains(string(theirs.Blocks), "tia") || !strings.Contains(string(theirs.Blocks), views.ActionIDApprovalApprove) {
		t.Fatalf("the approver's Home tab does not offer the approval:\n%s", theirs.Blocks)
	}
	pendingID := ""
	for _, b := range (slackemu.Message{Blocks: theirs.Blocks}).Buttons() {
		if b.ActionID == views.ActionIDApprovalApprove {
			pendingID = b.Value
		}
	}
	ctx, cancel := h.Timeout()
	defer cancel()
	if _, err := h.Slack.ClickHome(ctx, bottest.Approver, views.ActionIDApprovalApprove, pendingID); err != nil {
		t.Fatal(err)
	}
	waitCardDecided(t, h, card, "Approved")
	if u, _ := h.User("tia"); u == nil || u.Enabled {
		t.Fatal("Approve from the Home tab did not carry out the delete")
	}
	after := waitHome(t, h, bottest.Approver, theirs)
	if strings.Contains(string(after.Blocks), views.ActionIDApprovalApprove) {
		t.Errorf("the decided approval is still offered:\n%s", after.Blocks)
	}

	if _, err := h.Slack.ClickHome(ctx, bottest.Admin, views.ActionIDScheduleCancel, ""); err != nil {
		t.Fatal(err)
	}
	cancelled := waitHome(t, h, bottest.Admin, mine)
	// What remains scheduled is tia's final deletion, with Undo; uma's disable is gone.
	if strings.Contains(string(cancelled.Blocks), views.ActionIDScheduleCancel) || !strings.Contains(string(cancelled.Blocks), views.ActionIDUndo) ||
		!strings.Contains(string(cancelled.Blocks), "scheduled disable cancelled") {
		t.Errorf("the cancelled schedule is still shown:\n%s", cancelled.Blocks)
	}
	clock.Advance(49 * time.Hour)
	sweep(h)
	if u, _ := h.User("uma"); !u.Enabled {
		t.Error("a schedule cancelled from the Home tab ran")
	}
}
