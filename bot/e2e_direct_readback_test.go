package bot_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// lostOutcomes loses the outcome of every run of action carried out at once
// (its intent's phase is "execute"), as a bot that stopped between writing
// the intent and recording Cognito's answer never writes it: the intent stays
// open, exactly as the bot wrote it. Only the run's own outcome is lost; the
// sweeper's closing goes through.
type lostOutcomes struct {
	pipeline.AuditLog
	action string
	mu     sync.Mutex
	ids    []string
	lostOf map[string]bool // each intent's outcome already lost
}

func (l *lostOutcomes) Begin(ctx context.Context, e audit.Entry) error {
	err := l.AuditLog.Begin(ctx, e)
	if err == nil && e.Action == l.action && e.Params["phase"] == "execute" {
		l.mu.Lock()
		l.ids = append(l.ids, e.ID)
		l.mu.Unlock()
	}
	return err
}

// lose says whether this outcome of intent id is the run's own, lost.
func (l *lostOutcomes) lose(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lostOf[id] || !slices.Contains(l.ids, id) {
		return false
	}
	l.lostOf[id] = true
	return true
}

func (l *lostOutcomes) Finish(ctx context.Context, id string, o audit.Outcome, msg, rid string) error {
	if l.lose(id) {
		return nil
	}
	return l.AuditLog.Finish(ctx, id, o, msg, rid)
}

func (l *lostOutcomes) FinishResolved(ctx context.Context, id string, o audit.Outcome, msg, rid string, t audit.Target) error {
	if l.lose(id) {
		return nil
	}
	return l.AuditLog.FinishResolved(ctx, id, o, msg, rid, t)
}

// stoppedDirectWorld is a bot whose runs of action at once stop between the
// intent and the outcome; the clock moves past the intents' abandonment when
// the test says, and the sweeper that settles them runs every 50 ms.
func stoppedDirectWorld(t *testing.T, action string, opts bottest.Options) (*bottest.Harness, *bottest.Clock, *lostOutcomes) {
	clock := &bottest.Clock{}
	lost := &lostOutcomes{action: action, lostOf: map[string]bool{}}
	opts.Now, opts.AbandonAfter, opts.SweepEvery = clock.Now, time.Second, quickSweeps
	opts.WrapAudit = func(l pipeline.AuditLog) pipeline.AuditLog { lost.AuditLog = l; return lost }
	return bottest.New(t, &opts), clock, lost
}

// stopMidRun runs command as who and returns the intent its bot left open;
// once the test moves the clock past its abandonment the sweeper takes it.
func stopMidRun(t *testing.T, h *bottest.Harness, lost *lostOutcomes, who, command string) audit.Entry {
	t.Helper()
	h.Reply(h.Command(who, command), 1)
	lost.mu.Lock()
	ids := append([]string(nil), lost.ids...)
	lost.mu.Unlock()
	if len(ids) != 1 {
		t.Fatalf("%q wrote %d intents to run at once; want 1", command, len(ids))
	}
	ctx, cancel := h.Timeout()
	defer cancel()
	e, err := h.Audit.Get(ctx, ids[0])
	if err != nil || e.Outcome != audit.OutcomePending {
		t.Fatalf("the intent of %q should be left open: %+v, %v", command, e, err)
	}
	return e
}

// waitIntentClosed waits for the sweeper to give intent id its outcome.
func waitIntentClosed(t *testing.T, h *bottest.Harness, id string) audit.Entry {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	var e audit.Entry
	h.Eventually("the open intent closed", func() bool {
		var err error
		e, err = h.Audit.Get(ctx, id)
		return err == nil && e.Outcome != audit.OutcomePending
	})
	return e
}

// dmAbout waits for the DM to who that names username.
func dmAbout(h *bottest.Harness, who, username string) slackemu.Message {
	return h.WaitMessage("a DM about "+username, func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(who) && bottest.Contains(m, username)
	})
}

func disabledUser(t *testing.T, h *bottest.Harness, username, email string) {
	t.Helper()
	h.CreateUser(username, email)
	if _, err := h.Users.DisableUser(bottest.Fixture(context.Background()), h.Pool.ID, username); err != nil {
		t.Fatal(err)
	}
}

// An enable typed by email runs at once, with no pending item; its bot
// stopped after Cognito enabled the user but before recording it. The intent
// names alice exactly (username and sub, not the email typed), so the
// sweeper reads her back, as the person who asked, finds her enabled, closes
// the intent OK and tells them it took effect — not "outcome unknown".
func TestDirectEnableWhoseBotStoppedIsSettledDoneByReadingBack(t *testing.T) {
	t.Parallel()
	h, clock, lost := stoppedDirectWorld(t, "enable", bottest.Options{})
	disabledUser(t, h, "alice", "alice@example.com")
	intent := stopMidRun(t, h, lost, bottest.Support, "enable alice@example.com")
	clock.Advance(time.Minute)
	u, _ := h.User("alice")
	if intent.Target.Username != "alice" || intent.Target.Sub != u.Sub {
		t.Errorf("the intent names %+v; want alice exactly, with her sub %s", intent.Target, u.Sub)
	}
	e := waitIntentClosed(t, h, intent.ID)
	if e.Outcome != audit.OutcomeOK || !strings.Contains(e.Message, "took effect") {
		t.Errorf("the intent is %s %q; want OK, read back as done", e.Outcome, e.Message)
	}
	if dm := dmAbout(h, bottest.Support, "alice"); !bottest.Contains(dm, "took effect") || !bottest.Contains(dm, "Enabled") {
		t.Errorf("the requester should be told the enable took effect:\n%s", bottest.Text(dm))
	}
	reads := readBackEntries(h, "alice")
	if len(reads) == 0 || reads[0].Outcome != audit.OutcomeOK || reads[0].Actor.UserID != bottest.Support || reads[0].Target.Sub != u.Sub {
		t.Errorf("the read-back should be audited, as the requester, on alice exactly; got %+v", reads)
	}
}

// stopsBeforeEnabling is a bot that stopped before its enable reached Cognito.
type stopsBeforeEnabling struct{ pipeline.Directory }

func (stopsBeforeEnabling) EnableUser(context.Context, string, string) (cognito.Result, error) {
	return cognito.Result{}, errors.New("the bot stopped before sending this")
}

// The bot stopped before its enable reached Cognito: reading bo back shows him
// still disabled, so the intent is closed "not done … run it again" and the
// requester is told so.
func TestDirectEnableWhoseBotStoppedBeforeCognitoIsSettledNotDone(t *testing.T) {
	t.Parallel()
	h, clock, lost := stoppedDirectWorld(t, "enable", bottest.Options{
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return stopsBeforeEnabling{d} }})
	disabledUser(t, h, "bo", "bo@example.com")
	intent := stopMidRun(t, h, lost, bottest.Support, "enable bo")
	clock.Advance(time.Minute)
	e := waitIntentClosed(t, h, intent.ID)
	if e.Outcome != audit.OutcomeError || !strings.Contains(e.Message, "not done") || !strings.Contains(e.Message, "run it again") ||
		strings.Contains(e.Message, pipeline.UnknownOutcome) {
		t.Errorf("the intent is %s %q; want an error saying not done, run it again", e.Outcome, e.Message)
	}
	if dm := dmAbout(h, bottest.Support, "bo"); !bottest.Contains(dm, "not done") || !bottest.Contains(dm, "run it again") {
		t.Errorf("the requester should be told the enable was not done:\n%s", bottest.Text(dm))
	}
	if u, _ := h.User("bo"); u.Enabled {
		t.Error("bo was enabled by the sweeper: it must never run the action again")
	}
}

// readsFailWhileOn fails every read of a user while on, counting them.
type readsFailWhileOn struct {
	pipeline.Directory
	on     *atomic.Bool
	failed *atomic.Int32
}

func (d readsFailWhileOn) GetUser(ctx context.Context, pool, username string) (*cognito.User, error) {
	if d.on.Load() {
		d.failed.Add(1)
		return nil, errors.New("cognito unavailable")
	}
	return d.Directory.GetUser(ctx, pool, username)
}

// While Cognito cannot be read the open intent is left for the next sweep —
// not closed "outcome unknown" — and once it can, it is settled.
func TestDirectEnableWhoseReadBackFailsIsSettledByALaterSweep(t *testing.T) {
	t.Parallel()
	on, failed := &atomic.Bool{}, &atomic.Int32{}
	h, clock, lost := stoppedDirectWorld(t, "enable", bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory {
		return readsFailWhileOn{Directory: d, on: on, failed: failed}
	}})
	disabledUser(t, h, "cy", "cy@example.com")
	intent := stopMidRun(t, h, lost, bottest.Support, "enable cy")
	on.Store(true) // Cognito stops answering reads from here
	clock.Advance(time.Minute)
	// A second failed read means the intent was still open, and listed,
	// after the first sweep's read failed.
	h.Eventually("two sweeps tried to read cy back", func() bool { return failed.Load() >= 2 })
	ctx, cancel := h.Timeout()
	defer cancel()
	if e, err := h.Audit.Get(ctx, intent.ID); err != nil || e.Outcome != audit.OutcomePending {
		t.Fatalf("a failed read closed the intent: %+v, %v", e, err)
	}
	on.Store(false)
	if e := waitIntentClosed(t, h, intent.ID); e.Outcome != audit.OutcomeOK || !strings.Contains(e.Message, "took effect") {
		t.Errorf("the intent is %s %q; want OK once the read worked", e.Outcome, e.Message)
	}
}

// A resend-invite has nothing to read back (no Reached): a bot that stopped
// inside one still leaves its outcome unknown, and the requester is told to
// check the user; nothing is read.
func TestDirectActionWithoutReadBackStaysUnknown(t *testing.T) {
	t.Parallel()
	h, clock, lost := stoppedDirectWorld(t, "resend-invite", bottest.Options{})
	seed(t, h, memdir.SeedUser{Username: "ivan", Status: "FORCE_CHANGE_PASSWORD", Email: "ivan@example.com"})
	intent := stopMidRun(t, h, lost, bottest.Admin, "resend-invite ivan")
	clock.Advance(time.Minute)
	if e := waitIntentClosed(t, h, intent.ID); e.Outcome != audit.OutcomeError || !strings.Contains(e.Message, pipeline.UnknownOutcome) {
		t.Errorf("the intent is %s %q; want outcome unknown", e.Outcome, e.Message)
	}
	if dm := dmAbout(h, bottest.Admin, "ivan"); !bottest.Contains(dm, "outcome was known") {
		t.Errorf("the requester should be told the outcome is unknown:\n%s", bottest.Text(dm))
	}
	if reads := readBackEntries(h, "ivan"); len(reads) != 0 {
		t.Errorf("nothing to read back, yet %d reads", len(reads))
	}
}

// An intent that names its user as typed (an email), as the versions before
// this one wrote them, is closed "outcome unknown": what was typed is never
// parsed again to find a user, even one now in the state the action leaves.
func TestDirectIntentWithATypedTargetStaysUnknown(t *testing.T) {
	t.Parallel()
	h, clock, _ := stoppedDirectWorld(t, "enable", bottest.Options{})
	h.CreateUser("di", "di@example.com") // enabled: a read by the email would say "done"
	ctx, cancel := h.Timeout()
	defer cancel()
	typed := []audit.Entry{
		{ID: "exec#typed-before", Params: map[string]string{"pool_name": h.Pool.Name, "phase": "execute"}},
		{ID: "exec#typed-marked", Params: map[string]string{"pool_name": h.Pool.Name, "phase": "execute", "direct": "true"}},
	}
	for _, e := range typed {
		e.Action, e.Decision, e.Outcome = "enable", audit.Allowed, audit.OutcomePending
		e.Actor, e.Channel = audit.Actor{UserID: bottest.Support, TeamID: bottest.Team}, bottest.Channel
		e.Target = audit.Target{Pool: h.Pool.ID, Username: "di@example.com"}
		if err := h.Audit.Begin(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Minute)
	for _, e := range typed {
		if got := waitIntentClosed(t, h, e.ID); got.Outcome != audit.OutcomeError || !strings.Contains(got.Message, pipeline.UnknownOutcome) {
			t.Errorf("%s is %s %q; want outcome unknown", e.ID, got.Outcome, got.Message)
		}
	}
	for _, name := range []string{"di", "di@example.com"} {
		entries, _, err := h.Audit.ByTarget(ctx, h.Pool.ID, name, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Params["phase"] == "read-back" {
				t.Errorf("a typed target was read back: %+v", e)
			}
		}
	}
}

// The read-back is authorized as the run was: someone who has since lost the
// action (removed from the user group that granted it) is not read for, so
// the intent stays "outcome unknown" and the refused read is audited.
func TestDirectEnableOfSomeoneWhoLostTheActionIsNotReadBack(t *testing.T) {
	t.Parallel()
	const enabler, enablers = "UENABLER", "SENABLERS"
	h, clock, lost := stoppedDirectWorld(t, "enable", bottest.Options{GroupRefresh: time.Second, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "enablers", Members: []string{enablers},
			Actions: []config.Action{actions.Lookup, actions.Enable}})
	}})
	h.Slack.SetUserGroup(enablers, []string{enabler})
	disabledUser(t, h, "eve", "eve@example.com")
	intent := stopMidRun(t, h, lost, enabler, "enable eve")
	h.Slack.SetUserGroup(enablers, nil)
	clock.Advance(time.Minute) // past the intent's abandonment and the cached membership
	if e := waitIntentClosed(t, h, intent.ID); e.Outcome != audit.OutcomeError || !strings.Contains(e.Message, pipeline.UnknownOutcome) {
		t.Errorf("the intent is %s %q; want outcome unknown", e.Outcome, e.Message)
	}
	reads := readBackEntries(h, "eve")
	if len(reads) == 0 {
		t.Fatal("the refused read-back should be audited")
	}
	for _, r := range reads {
		if r.Decision != audit.Denied {
			t.Errorf("eve was read back for someone who may no longer enable: %+v", r)
		}
	}
}
