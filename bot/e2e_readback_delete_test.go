package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// dieMidSoftDelete makes a bot die inside a confirmed `delete <username>` that
// waits out the undo window: it claimed the action and wrote its audit intent,
// then stopped; applied, when set, is what the operation did before the bot
// died (made the schedule, disabled the user), given the action's id. The
// bots' clock is then moved past the executing timeout. It returns the id.
func dieMidSoftDelete(t *testing.T, h *bottest.Harness, clock *bottest.Clock, username string, applied func(ctx context.Context, id string) error) string {
	t.Helper()
	prompt := h.Reply(h.Command(bottest.Admin, "delete "+username+" --reason offboarding"), 1)
	id := buttonValue(t, prompt, "confirm:yes")
	ctx, cancel := h.Timeout()
	defer cancel()
	dead := audit.Actor{UserID: bottest.Admin, TeamID: bottest.Team}
	intent := audit.Entry{ID: "exec#" + id, Actor: dead, Action: "delete", Decision: audit.Allowed, Outcome: audit.OutcomePending,
		Target: audit.Target{Pool: h.Pool.ID, Username: username}}
	if err := h.Audit.Begin(ctx, intent); err != nil {
		t.Fatal(err)
	}
	if _, err := h.State.Transition(ctx, id, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &dead}); err != nil {
		t.Fatal(err)
	}
	if applied != nil {
		if err := applied(bottest.Fixture(ctx), id); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(2 * time.Second)
	return id
}

// scheduleDeletion is the schedule the undoable delete makes first, as the
// action id's run (its exec intent) makes it.
func scheduleDeletion(h *bottest.Harness, clock *bottest.Clock, u *cognito.User, id string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := h.State.CreateSchedule(ctx, audit.Scheduled{Kind: audit.ScheduleHardDelete, Action: actions.Delete,
			Target: audit.Target{Pool: h.Pool.ID, Username: u.Username, Sub: u.Sub}, PoolName: h.Pool.Name, Reason: "offboarding",
			Requester: audit.Actor{UserID: bottest.Admin, TeamID: bottest.Team}, RequestID: "exec#" + id,
			RunAt: clock.Now().Add(72 * time.Hour), Snapshot: &audit.DeletionSnapshot{Enabled: true, Status: u.Status}})
		return err
	}
}

// pendingDeletions are the deletions of u waiting out their undo window.
func pendingDeletions(t *testing.T, h *bottest.Harness, u *cognito.User) []audit.Scheduled {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	waiting, err := h.State.SchedulesFor(ctx, h.Pool.ID, u.Sub)
	if err != nil {
		t.Fatal(err)
	}
	return waiting
}

// A bot died inside a delete after scheduling the deletion and disabling the
// user: the sweeper reads them back disabled with this action's deletion
// pending, and settles it DONE, saying when they will be deleted.
func TestAbandonedSoftDeleteThatTookEffectIsSettledDone(t *testing.T) {
	t.Parallel()
	h, clock := stuckWorld(t, "dora")
	u, _ := h.User("dora")
	id := dieMidSoftDelete(t, h, clock, "dora", func(ctx context.Context, id string) error {
		if err := scheduleDeletion(h, clock, u, id)(ctx); err != nil {
			return err
		}
		_, err := h.Users.DisableUser(ctx, h.Pool.ID, "dora")
		return err
	})
	dm := h.WaitMessage("DM about the settled delete", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "dora")
	})
	if !bottest.Contains(dm, "will be deleted") || bottest.Contains(dm, "outcome was known") {
		t.Errorf("the DM should say dora is disabled and will be deleted:\n%s", bottest.Text(dm))
	}
	p, e := waitSettled(t, h, id)
	if p.State != audit.StateDone || !strings.Contains(p.Result, "took effect") || !strings.Contains(p.Result, "will be deleted") {
		t.Errorf("the action is %s %q; want DONE, disabled and to be deleted", p.State, p.Result)
	}
	if e.Outcome != audit.OutcomeOK {
		t.Errorf("the intent is %s %q; want OK", e.Outcome, e.Message)
	}
	if waiting := pendingDeletions(t, h, u); len(waiting) != 1 {
		t.Errorf("%d deletions pending; want the one the action made", len(waiting))
	}
	checkReadBackAudited(t, h, "dora")
}

// A bot died inside a delete after scheduling the deletion but before
// disabling the user: the sweeper reads them back still enabled, calls the
// deletion off and settles the action FAILED "not done", so a new delete is
// accepted rather than refused as already scheduled.
func TestAbandonedSoftDeleteBeforeTheSuspendCallsTheDeletionOff(t *testing.T) {
	t.Parallel()
	h, clock := stuckWorld(t, "eli")
	u, _ := h.User("eli")
	var made string
	id := dieMidSoftDelete(t, h, clock, "eli", func(ctx context.Context, id string) error {
		made = "exec#" + id
		return scheduleDeletion(h, clock, u, id)(ctx)
	})
	p, e := waitSettled(t, h, id)
	if p.State != audit.StateFailed || !strings.Contains(p.Result, "not done") || !strings.Contains(p.Result, "run it again") {
		t.Errorf("the action is %s %q; want FAILED, not done", p.State, p.Result)
	}
	if e.Outcome != audit.OutcomeError || !strings.Contains(e.Message, "not done") {
		t.Errorf("the intent is %s %q; want an error, not done", e.Outcome, e.Message)
	}
	if waiting := pendingDeletions(t, h, u); len(waiting) != 0 {
		t.Errorf("the deletion %s made is still pending: %+v", made, waiting)
	}
	if now, ok := h.User("eli"); !ok || !now.Enabled {
		t.Errorf("eli should still be there and enabled, got %+v", now)
	}
	done := confirmDelete(t, h, "eli", "")
	if bottest.Contains(done, "already scheduled") || !bottest.Contains(done, "scheduled the deletion") {
		t.Errorf("a new delete should be accepted:\n%s", bottest.Text(done))
	}
}

// A bot died inside a delete before it scheduled anything: the sweeper reads
// the user back unchanged and settles the action FAILED "not done".
func TestAbandonedSoftDeleteWithNothingScheduledIsNotDone(t *testing.T) {
	t.Parallel()
	h, clock := stuckWorld(t, "fay")
	id := dieMidSoftDelete(t, h, clock, "fay", nil)
	p, e := waitSettled(t, h, id)
	if p.State != audit.StateFailed || !strings.Contains(p.Result, "not done") || e.Outcome != audit.OutcomeError {
		t.Errorf("the action is %s %q, its intent %s; want FAILED, not done", p.State, p.Result, e.Outcome)
	}
	if now, ok := h.User("fay"); !ok || !now.Enabled {
		t.Errorf("fay should be unchanged, got %+v", now)
	}
}

// An approver's bot died inside an approved delete after scheduling the
// deletion and disabling the user: the card closes approved, saying when the
// user will be deleted, rather than "outcome unknown".
func TestAbandonedApprovedSoftDeleteClosesTheCardApproved(t *testing.T) {
	t.Parallel()
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{Approvals: true, ExecutingTimeout: time.Second, Now: clock.Now, SweepEvery: quickSweeps})
	h.CreateUser("gil", "gil@example.com")
	u, _ := h.User("gil")
	card, id, ctx := approvedDeleteLeftExecuting(t, h, "gil", " --reason offboarding")
	if err := scheduleDeletion(h, clock, u, id)(bottest.Fixture(ctx)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Users.DisableUser(bottest.Fixture(ctx), h.Pool.ID, "gil"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	decided := waitCardDecided(t, h, card, "Approved")
	if !bottest.Contains(decided, "will be deleted") {
		t.Errorf("the card should say gil is disabled and will be deleted:\n%s", bottest.Text(decided))
	}
	if p, e := waitSettled(t, h, id); p.State != audit.StateDone || e.Outcome != audit.OutcomeOK {
		t.Errorf("the action is %s, its intent %s %q; want DONE and OK", p.State, e.Outcome, e.Message)
	}
}
