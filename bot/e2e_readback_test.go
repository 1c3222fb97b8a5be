package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// dieMidAction makes a bot die inside the confirmed command it was asked for
// (e.g. "disable sam"): it claimed the action and wrote its audit intent, then
// stopped; applied, when set, is the directory's change the call made before
// the bot died. The bots' clock is then moved past the executing timeout, so
// the sweeper takes the action as abandoned. It returns the pending action's id.
func dieMidAction(t *testing.T, h *bottest.Harness, clock *bottest.Clock, command, action, username string, applied func(context.Context) error) string {
	t.Helper()
	prompt := h.Reply(h.Command(bottest.Support, command), 1)
	id := buttonValue(t, prompt, "confirm:yes")
	ctx, cancel := h.Timeout()
	defer cancel()
	dead := audit.Actor{UserID: bottest.Support, TeamID: bottest.Team}
	intent := audit.Entry{ID: "exec#" + id, Actor: dead, Action: action, Decision: audit.Allowed, Outcome: audit.OutcomePending,
		Target: audit.Target{Pool: h.Pool.ID, Username: username}}
	if err := h.Audit.Begin(ctx, intent); err != nil {
		t.Fatal(err)
	}
	if _, err := h.State.Transition(ctx, id, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &dead}); err != nil {
		t.Fatal(err)
	}
	if applied != nil {
		if err := applied(bottest.Fixture(ctx)); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(2 * time.Second)
	return id
}

// waitSettled waits for the pending action to leave EXECUTING and its audit
// intent to get its outcome (the sweeper closes the action first, the intent
// right after), and returns both.
func waitSettled(t *testing.T, h *bottest.Harness, id string) (audit.Pending, audit.Entry) {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	var p audit.Pending
	var e audit.Entry
	h.Eventually("the abandoned action and its intent settled", func() bool {
		var err, aerr error
		p, err = h.State.Get(ctx, id)
		e, aerr = h.Audit.Get(ctx, "exec#"+id)
		return err == nil && aerr == nil && p.State != audit.StateExecuting && e.Outcome != audit.OutcomePending
	})
	return p, e
}

// stuckWorld is a bot whose confirmed actions the sweeper treats as stuck
// after a second of the bots' clock, sweeping every 50 ms, with one user,
// name (name@example.com).
func stuckWorld(t *testing.T, name string) (*bottest.Harness, *bottest.Clock) {
	t.Helper()
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{ExecutingTimeout: time.Second, Now: clock.Now, SweepEvery: quickSweeps})
	h.CreateUser(name, name+"@example.com")
	return h, clock
}

// checkReadBackAudited fails the test unless the sweeper's read of username
// was itself audited, and went through.
func checkReadBackAudited(t *testing.T, h *bottest.Harness, username string) {
	t.Helper()
	if reads := readBackEntries(h, username); len(reads) == 0 || reads[0].Outcome != audit.OutcomeOK {
		t.Errorf("the read-back should itself be audited, got %+v", reads)
	}
}

// approvedDeleteLeftExecuting asks to delete username (with flags), then acts
// as a bot that took the approval and wrote the intent of the delete, then
// stopped: the action is left EXECUTING, decided by the approver, its intent
// open. It returns the approval card, the pending id and a context for the
// test's own fixture calls.
func approvedDeleteLeftExecuting(t *testing.T, h *bottest.Harness, username, flags string) (slackemu.Message, string, context.Context) {
	t.Helper()
	card := requestDelete(t, h, bottest.Admin, username, flags)
	id := buttonValue(t, card, "approval:approve")
	ctx, cancel := h.Timeout()
	t.Cleanup(cancel)
	approver := audit.Actor{UserID: bottest.Approver, TeamID: bottest.Team}
	if _, err := h.State.Transition(ctx, id, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &approver}); err != nil {
		t.Fatal(err)
	}
	intent := audit.Entry{ID: "exec#" + id, Actor: approver, Action: "delete", Decision: audit.Allowed, Outcome: audit.OutcomePending,
		Target: audit.Target{Pool: h.Pool.ID, Username: username}}
	if err := h.Audit.Begin(ctx, intent); err != nil {
		t.Fatal(err)
	}
	return card, id, ctx
}

// readBackEntries are the audited reads the sweeper made of username.
func readBackEntries(h *bottest.Harness, username string) []audit.Entry {
	var out []audit.Entry
	for _, e := range h.AuditFor(username, 1) {
		if e.Params["phase"] == "read-back" {
			out = append(out, e)
		}
	}
	return out
}

// A bot died inside a confirmed disable after Cognito applied it: the sweeper
// reads sam back (an audited read), finds him disabled, and closes the action
// DONE, the intent OK, and tells the requester it took effect — not "outcome
// unknown".
func TestAbandonedActionThatTookEffectIsSettledDoneByReadingBack(t *testing.T) {
	t.Parallel()
	h, clock := stuckWorld(t, "sam")
	id := dieMidAction(t, h, clock, "disable sam", "disable", "sam", func(ctx context.Context) error {
		_, err := h.Users.DisableUser(ctx, h.Pool.ID, "sam")
		return err
	})
	dm := h.WaitMessage("DM about the settled action", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Support) && bottest.Contains(m, "sam")
	})
	if !bottest.Contains(dm, "took effect") || !bottest.Contains(dm, "Disabled") || bottest.Contains(dm, "outcome was known") {
		t.Errorf("the DM should say the disable took effect:\n%s", bottest.Text(dm))
	}
	p, e := waitSettled(t, h, id)
	if p.State != audit.StateDone || !strings.Contains(p.Result, "took effect") {
		t.Errorf("the action is %s %q; want DONE, confirmed by reading back", p.State, p.Result)
	}
	if e.Outcome != audit.OutcomeOK || !strings.Contains(e.Message, "reading the user back") {
		t.Errorf("the intent is %s %q; want OK by reading the user back", e.Outcome, e.Message)
	}
	checkReadBackAudited(t, h, "sam")
}

// A sign-out leaves nothing to read back (no Reached): a bot that died inside
// one still leaves its outcome unknown.
func TestAbandonedActionWithoutReadBackStaysUnknown(t *testing.T) {
	t.Parallel()
	h, clock := stuckWorld(t, "sid")
	id := dieMidAction(t, h, clock, "revoke sid", "revoke", "sid", nil)
	dm := h.WaitMessage("DM about the unknown outcome", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Support) && bottest.Contains(m, "sid")
	})
	if !bottest.Contains(dm, "outcome was known") {
		t.Errorf("the DM should say the outcome is unknown:\n%s", bottest.Text(dm))
	}
	p, e := waitSettled(t, h, id)
	if p.State != audit.StateFailed || e.Outcome != audit.OutcomeError || !strings.Contains(e.Message, pipeline.UnknownOutcome) {
		t.Errorf("the action is %s, its intent %s %q; want FAILED, outcome unknown", p.State, e.Outcome, e.Message)
	}
	if reads := readBackEntries(h, "sid"); len(reads) != 0 {
		t.Errorf("nothing to read back, yet %d reads", len(reads))
	}
}

// failingReads fails every read of a user while on, as Cognito down does.
type failingReads struct {
	pipeline.Directory
	on, failed *atomic.Bool
}

func (d failingReads) GetUser(ctx context.Context, pool, username string) (*cognito.User, error) {
	if d.on.Load() {
		d.failed.Store(true)
		return nil, errors.New("cognito unavailable")
	}
	return d.Directory.GetUser(ctx, pool, username)
}

// While the read-back itself fails the abandoned action is left for a later
// sweep, not closed "outcome unknown": once Cognito answers, it settles DONE.
func TestAbandonedActionWhoseReadBackFailsWaitsForTheNextSweep(t *testing.T) {
	t.Parallel()
	clock := &bottest.Clock{}
	on, failed := &atomic.Bool{}, &atomic.Bool{}
	h := bottest.New(t, &bottest.Options{ExecutingTimeout: time.Second, Now: clock.Now, SweepEvery: quickSweeps,
		WrapUsers: func(d pipeline.Directory) pipeline.Directory {
			return failingReads{Directory: d, on: on, failed: failed}
		}})
	h.CreateUser("sam", "sam@example.com")
	id := dieMidAction(t, h, clock, "disable sam", "disable", "sam", func(ctx context.Context) error {
		_, err := h.Users.DisableUser(ctx, h.Pool.ID, "sam")
		on.Store(true) // Cognito stops answering reads from here
		return err
	})
	h.Eventually("a sweep tried to read sam back", failed.Load)
	on.Store(false)
	p, e := waitSettled(t, h, id)
	if p.State != audit.StateDone || e.Outcome != audit.OutcomeOK {
		t.Errorf("the action is %s, its intent %s %q; want DONE and OK once the read worked", p.State, e.Outcome, e.Message)
	}
}

// An approver's bot died inside an approved `delete --now` after Cognito
// deleted the user: the read-back finds nobody (the delete's Reached on a
// user gone), authorized as the approval was, and the card says approved and
// done rather than "outcome unknown".
func TestAbandonedApprovedDeleteThatTookEffectClosesTheCardApproved(t *testing.T) {
	t.Parallel()
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{Approvals: true, ExecutingTimeout: time.Second, Now: clock.Now, SweepEvery: quickSweeps})
	h.CreateUser("gus", "gus@example.com")
	card, id, ctx := approvedDeleteLeftExecuting(t, h, "gus", " --now")
	if _, err := h.Users.DeleteUser(bottest.Fixture(ctx), h.Pool.ID, "gus"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	decided := waitCardDecided(t, h, card, "Approved")
	if !bottest.Contains(decided, "took effect") {
		t.Errorf("the card should say the delete took effect:\n%s", bottest.Text(decided))
	}
	p, e := waitSettled(t, h, id)
	if p.State != audit.StateDone || e.Outcome != audit.OutcomeOK {
		t.Errorf("the action is %s, its intent %s %q; want DONE and OK", p.State, e.Outcome, e.Message)
	}
}

// A break-glass action whose bot stopped mid-call is still announced to the
// rule's approvers, with the outcome the sweeper settled: here a `delete
// --now` whose user is gone, read back as done.
func TestAbandonedBreakGlassActionIsStillAnnounced(t *testing.T) {
	t.Parallel()
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{ExecutingTimeout: time.Second, Now: clock.Now, SweepEvery: quickSweeps, Approvals: true, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "oncall", Members: []string{bottest.Support}, BreakGlass: true,
			Actions: []config.Action{actions.Lookup, actions.Delete}})
	}})
	h.CreateUser("vera", "vera@example.com")
	id := dieMidAction(t, h, clock, `delete vera --now --break-glass --reason "INC-77 takeover"`, "delete", "vera", func(ctx context.Context) error {
		_, err := h.Users.DeleteUser(ctx, h.Pool.ID, "vera")
		return err
	})
	if p, _ := waitSettled(t, h, id); p.State != audit.StateDone {
		t.Fatalf("the action is %s %q; want DONE, read back", p.State, p.Result)
	}
	notice := h.WaitMessage("the break-glass notice in #approvals", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "BREAK-GLASS") && bottest.Contains(m, "INC-77")
	})
	if !bottest.Contains(notice, "took effect") {
		t.Errorf("the notice should carry the settled outcome:\n%s", bottest.Text(notice))
	}
}
