package bot_test

// Undo is a change to the user (it enables them and puts groups back), so
// protected groups guard it like any other: each test here failed before the
// undo path told the policy the groups the undo would put back.

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// protectedUndoWorld has admins as a protected group, delete under approval,
// and Support in a desk role that may undo (and list scheduled actions) but
// holds nothing more.
// On the wire the snapshot's groups go through DynamoDB Local and the users'
// through moto.
func protectedUndoWorld(t *testing.T, wire bool) *bottest.Harness {
	t.Helper()
	return bottest.New(t, &bottest.Options{Wire: wire, Approvals: true, Configure: func(c *config.Config) {
		c.ProtectedGroups = []string{"admins"}
		c.Roles = append(c.Roles, config.Role{Name: "undo-desk", Members: []string{bottest.Support},
			Actions: []config.Action{actions.Undo, actions.Scheduled}})
	}})
}

// member creates username in groups (the harness's pool has admins and support).
func member(t *testing.T, h *bottest.Harness, username string, groups ...string) {
	t.Helper()
	h.CreateUser(username, username+"@example.com")
	for _, g := range groups {
		if _, err := h.Users.AddToGroup(bottest.Fixture(t.Context()), h.Pool.ID, username, g); err != nil {
			t.Fatal(err)
		}
	}
}

// deleteApproved has Admin delete username and Approver approve it: the user
// is disabled and their deletion waits out the undo window.
func deleteApproved(t *testing.T, h *bottest.Harness, username string) {
	t.Helper()
	card := requestDelete(t, h, bottest.Admin, username, " --reason compromised")
	h.Click(card, "approval:approve", bottest.Approver)
	waitCardDecided(t, h, card, "Approved")
	if u, ok := h.User(username); !ok || u.Enabled {
		t.Fatalf("%s should be disabled and kept for the undo window (exists %v)", username, ok)
	}
}

// undoRefused checks that an undo answer refused with the protected group's
// sentence and that nothing changed: the user disabled, the deletion pending.
func undoRefused(t *testing.T, h *bottest.Harness, how string, answer slackemu.Message, username string) {
	t.Helper()
	if !bottest.Contains(answer, "protected group") || bottest.Contains(answer, "Restored") {
		t.Errorf("%s: the undo of a protected member's deletion was not refused with a sentence:\n%s", how, bottest.Text(answer))
	}
	u, ok := h.User(username)
	if !ok || u.Enabled {
		t.Errorf("%s: %s was enabled (or is gone: exists %v) by a refused undo", how, username, ok)
	}
	waiting, err := h.State.WaitingSchedules(context.Background(), 10)
	if err != nil || !slices.ContainsFunc(waiting, func(s audit.Scheduled) bool {
		return s.Kind == audit.ScheduleHardDelete && s.Target.Username == username && s.State == audit.StatePending
	}) {
		t.Errorf("%s: the deletion of %s is no longer pending after a refused undo: %+v %v", how, username, waiting, err)
	}
}

// undoDenials counts the audited refusals of undo by who, for the protected group.
func undoDenials(h *bottest.Harness, username, who string, min int) (n int) {
	for _, e := range h.AuditFor(username, min) {
		if e.Action == "undo" && e.Decision == audit.Denied && e.Actor.UserID == who && strings.Contains(e.DenyReason, "protected group") {
			n++
		}
	}
	return n
}

// A desk role with undo but no say over protected members cannot undo the
// deletion of an admins member, not even once the user is out of admins,
// since the undo would put them back. Each refusal is audited; the user stays
// disabled and the deletion pending.
func TestUndoOfAProtectedMembersDeletionIsRefusedToTheDesk(t *testing.T) {
	t.Parallel()
	testDeskRefusedUndo(t, false)
}

func TestUndoOfAProtectedMembersDeletionIsRefusedToTheDeskOnTheWire(t *testing.T) {
	t.Parallel()
	testDeskRefusedUndo(t, true)
}

func testDeskRefusedUndo(t *testing.T, wire bool) {
	h := protectedUndoWorld(t, wire)
	member(t, h, "boss", "admins", "support")
	deleteApproved(t, h, "boss")

	typed := h.Reply(h.Command(bottest.Support, "undo boss"), 1)
	undoRefused(t, h, "typed", typed, "boss")
	if !bottest.Contains(typed, `protected group "admins"`) {
		t.Errorf("the refusal does not name the protected group:\n%s", bottest.Text(typed))
	}

	// Out of admins now: the undo would put them back, so it is still a
	// change to a protected group's member.
	if _, err := h.Users.RemoveFromGroup(bottest.Fixture(t.Context()), h.Pool.ID, "boss", "admins"); err != nil {
		t.Fatal(err)
	}
	undoRefused(t, h, "after leaving admins", h.Reply(h.Command(bottest.Support, "undo boss"), 1), "boss")
	if u, _ := h.User("boss"); u != nil && slices.Contains(u.Groups, "admins") {
		t.Error("a refused undo put boss back in admins")
	}
	if n := undoDenials(h, "boss", bottest.Support, 1); n != 2 {
		t.Errorf("want an audited denial for each refused undo (2), got %d", n)
	}
}

// deletionOf is the id of username's pending deletion.
func deletionOf(t *testing.T, h *bottest.Harness, username string) string {
	t.Helper()
	waiting, err := h.State.WaitingSchedules(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range waiting {
		if sc.Kind == audit.ScheduleHardDelete && sc.Target.Username == username {
			return sc.ID
		}
	}
	t.Fatalf("no pending deletion of %s in %+v", username, waiting)
	return ""
}

// The card and `scheduled` offer the desk no Undo for a protected member, and
// a button that names the deletion anyway (an old message, a forged click —
// the card's and scheduled's Undo, scheduled's Cancel) is decided again for
// the clicker: refused, audited, nothing changes.
func TestUndoButtonsAreDecidedAgainForProtectedMembers(t *testing.T) {
	t.Parallel()
	h := protectedUndoWorld(t, false)
	member(t, h, "root", "admins")
	deleteApproved(t, h, "root")
	card := h.Reply(h.Command(bottest.Support, "lookup root"), 1)
	if !bottest.Contains(card, "Scheduled for deletion") || bottest.Contains(card, views.ActionIDUndo) {
		t.Errorf("the desk's card should show the deletion without Undo:\n%s", bottest.Text(card))
	}
	list := h.Reply(h.Command(bottest.Support, "scheduled"), 1)
	if !bottest.Contains(list, "root") || bottest.Contains(list, views.ActionIDUndo) {
		t.Errorf("scheduled should list root's deletion without Undo for the desk:\n%s", bottest.Text(list))
	}
	id := deletionOf(t, h, "root")
	for _, button := range []string{views.ActionIDUndo, views.ActionIDScheduleCancel} {
		forged := h.PostButton(bottest.Channel, "root", button, id)
		undoRefused(t, h, button, h.Reply(h.ClickAsShown(forged, button, bottest.Support), 1), "root")
	}
	if n := undoDenials(h, "root", bottest.Support, 1); n != 2 {
		t.Errorf("want an audited denial of each of the desk's clicks (2), got %d", n)
	}
}

// A user in no protected group is undone by the desk as before, from the
// card's Undo: enabled, and back in the group they lost.
func TestDeskUndoesTheDeletionOfAnUnprotectedUser(t *testing.T) {
	t.Parallel()
	h := protectedUndoWorld(t, false)
	member(t, h, "sam", "support")
	deleteApproved(t, h, "sam")
	if _, err := h.Users.RemoveFromGroup(bottest.Fixture(t.Context()), h.Pool.ID, "sam", "support"); err != nil {
		t.Fatal(err)
	}
	card := h.Reply(h.Command(bottest.Support, "lookup sam"), 1)
	if !bottest.Contains(card, views.ActionIDUndo) {
		t.Fatalf("the desk, who may undo sam, sees no Undo on the card:\n%s", bottest.Text(card))
	}
	undone := h.Reply(h.ClickAsShown(card, views.ActionIDUndo, bottest.Support), 1)
	if !bottest.Contains(undone, "Restored") || !bottest.Contains(undone, "back in support") {
		t.Fatalf("the desk's undo of an unprotected user did not restore them:\n%s", bottest.Text(undone))
	}
	if u, _ := h.User("sam"); u == nil || !u.Enabled || !slices.Contains(u.Groups, "support") {
		t.Fatalf("sam is not enabled and back in support after undo: %+v", u)
	}
}

// A user who joined a protected group after the delete is weighed as they are
// when the undo runs: the card's Undo (which carries only the schedule) is
// refused when the operation reads them, before the deletion is called off.
func TestUndoIsRefusedWhenTheUserJoinedAProtectedGroupSinceTheDelete(t *testing.T) {
	t.Parallel()
	h := protectedUndoWorld(t, false)
	member(t, h, "ned", "support")
	deleteApproved(t, h, "ned")
	card := h.Reply(h.Command(bottest.Support, "lookup ned"), 1)
	if _, err := h.Users.AddToGroup(bottest.Fixture(t.Context()), h.Pool.ID, "ned", "admins"); err != nil {
		t.Fatal(err)
	}
	undoRefused(t, h, "joined admins", h.Reply(h.ClickAsShown(card, views.ActionIDUndo, bottest.Support), 1), "ned")
}

// Protected means approved, for every role: with no rule for undo, an admin
// with every action is refused the undo too, told which rule to add.
func TestUndoOfAProtectedMembersDeletionIsRefusedToAdminsWithoutAnUndoRule(t *testing.T) {
	t.Parallel()
	h := protectedUndoWorld(t, false)
	member(t, h, "ops", "admins")
	deleteApproved(t, h, "ops")
	answer := h.Reply(h.Command(bottest.Admin2, "undo ops"), 1)
	undoRefused(t, h, "admin", answer, "ops")
	if !bottest.Contains(answer, "approvals: - action: undo") {
		t.Errorf("the refusal does not say which rule to add:\n%s", bottest.Text(answer))
	}
	if n := undoDenials(h, "ops", bottest.Admin2, 1); n != 1 {
		t.Errorf("want one audited denial of the admin's undo, got %d", n)
	}
}

// With an approval rule for undo, an admin's undo of a protected member's
// deletion waits for an approver of undo (not delete's); approved, it runs:
// the user is enabled, back in the groups they lost, and the deletion is
// called off for good. A click on Undo (which cannot carry a reason) says to
// type the command.
func TestUndoOfAProtectedMembersDeletionRunsOnceApproved(t *testing.T) {
	t.Parallel()
	testApprovedUndo(t, false)
}

func TestUndoOfAProtectedMembersDeletionRunsOnceApprovedOnTheWire(t *testing.T) {
	t.Parallel()
	testApprovedUndo(t, true)
}

func testApprovedUndo(t *testing.T, wire bool) {
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{Wire: wire, Approvals: true, Now: clock.Now, Configure: func(c *config.Config) {
		c.ProtectedGroups = []string{"admins"}
		c.Approvals = append(c.Approvals, config.ApprovalRule{Action: actions.Undo, Approvers: []string{bottest.Admin},
			Channel: bottest.Approvals, Expiry: config.Duration(time.Hour)})
	}})
	member(t, h, "ops", "admins", "support")
	deleteApproved(t, h, "ops")
	if _, err := h.Users.RemoveFromGroup(bottest.Fixture(t.Context()), h.Pool.ID, "ops", "admins"); err != nil {
		t.Fatal(err)
	}
	forged := h.PostButton(bottest.Channel, "ops", views.ActionIDUndo, deletionOf(t, h, "ops"))
	if clicked := h.Reply(h.ClickAsShown(forged, views.ActionIDUndo, bottest.Admin2), 1); !bottest.Contains(clicked, "needs approval") ||
		!bottest.Contains(clicked, "undo ops --reason") {
		t.Errorf("a click on Undo of a protected member should say to ask with the command:\n%s", bottest.Text(clicked))
	}
	asked := h.Reply(h.Command(bottest.Admin2, `undo ops --reason "not compromised after all"`), 1)
	if !bottest.Contains(asked, "approval") {
		t.Fatalf("the undo was not sent for approval:\n%s", bottest.Text(asked))
	}
	card := h.WaitMessage("the undo's approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "ops") && bottest.Contains(m, "approval:approve") && bottest.Contains(m, "undo")
	})
	if !bottest.Contains(card, "admins") {
		t.Errorf("the approval card does not say the undo puts ops back in admins:\n%s", bottest.Text(card))
	}
	if u, _ := h.User("ops"); u == nil || u.Enabled {
		t.Fatal("ops was enabled before the undo was approved")
	}
	if early := h.Reply(h.Click(card, "approval:approve", bottest.Approver), 1); !bottest.Contains(early, "not an approver") {
		t.Errorf("delete's approver approved the undo:\n%s", bottest.Text(early))
	}
	h.Click(card, "approval:approve", bottest.Admin)
	decided := waitCardDecided(t, h, card, "Approved")
	if !bottest.Contains(decided, "Restored") {
		t.Errorf("the approval card does not say the user was restored:\n%s", bottest.Text(decided))
	}
	u, _ := h.User("ops")
	if u == nil || !u.Enabled || !slices.Contains(u.Groups, "admins") || !slices.Contains(u.Groups, "support") {
		t.Fatalf("ops is not enabled and back in admins after the approved undo: %+v", u)
	}
	h.WaitMessage("a DM to the deletion's requester", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "undid the deletion of") && bottest.Contains(m, "ops")
	})
	clock.Advance(73 * time.Hour)
	sweep(h)
	if _, exists := h.User("ops"); !exists {
		t.Fatal("ops was deleted although the undo was approved and ran")
	}
}
