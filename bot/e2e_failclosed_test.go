package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestDynamoDBDownRefusesDestructiveAction(t *testing.T) {
	h := bottest.New(t, &bottest.Options{DynamoDBProxy: true})
	h.CreateUser("lara", "lara@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable lara"), 1)

	h.Proxy.SetDown(true)
	answer := h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if !bottest.Contains(answer, "nothing was done") {
		t.Fatalf("the user should be told nothing was done:\n%s", bottest.Text(answer))
	}
	if u, _ := h.User("lara"); !u.Enabled {
		t.Fatal("lara was disabled although nothing could be audited")
	}
	direct := h.Reply(h.Command(bottest.Support, "lookup lara"), 1)
	if !bottest.Contains(direct, "nothing was done") {
		t.Fatalf("a lookup without an audit log should be refused too:\n%s", bottest.Text(direct))
	}

	h.Proxy.SetDown(false)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if u, _ := h.User("lara"); u.Enabled {
		t.Fatal("once DynamoDB is back the same confirmation should work")
	}
}

func TestDynamoDBDownAtApprovalThenApprovedLater(t *testing.T) {
	h := bottest.New(t, &bottest.Options{Approvals: true, DynamoDBProxy: true})
	h.CreateUser("mia", "mia@example.com")
	card := requestDelete(t, h, bottest.Admin, "mia", "")

	h.Proxy.SetDown(true)
	answer := h.Reply(h.Click(card, "approval:approve", bottest.Approver), 1)
	if !bottest.Contains(answer, "nothing was done") {
		t.Fatalf("approver should be told nothing was done:\n%s", bottest.Text(answer))
	}
	h.WaitMessage("a note on the card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && m.ThreadTS == card.TS && bottest.Contains(m, "could not be processed")
	})
	if _, exists := h.User("mia"); !exists {
		t.Fatal("mia was deleted while DynamoDB was unavailable")
	}

	h.Proxy.SetDown(false)
	h.Click(card, "approval:approve", bottest.Approver)
	waitCardDecided(t, h, card, "Approved")
	if u, exists := h.User("mia"); !exists || u.Enabled {
		t.Fatal("mia was not deleted (disabled for the undo window) after approval once DynamoDB was back")
	}
}

func TestActionAbandonedByADeadBotIsSettledByReadingBack(t *testing.T) {
	t.Parallel()
	h, clock := stuckWorld(t, "sam")
	prompt := h.Reply(h.Command(bottest.Support, "disable sam"), 1)
	id := buttonValue(t, prompt, "confirm:yes")

	// Another replica claimed the action, wrote its intent and died before
	// its Cognito call reached Cognito. The
	// intent is written first, so the sweeper (which takes an action a second
	// old as abandoned) never sees the claim without it, however slow the test;
	// then the bots' clock is moved past that second rather than waited for.
	ctx, cancel := h.Timeout()
	defer cancel()
	dead := audit.Actor{UserID: bottest.Support, TeamID: bottest.Team}
	intent := audit.Entry{ID: "exec#" + id, Actor: dead, Action: "disable", Decision: audit.Allowed, Outcome: audit.OutcomePending,
		Target: audit.Target{Pool: h.Pool.ID, Username: "sam"}}
	if err := h.Audit.Begin(ctx, intent); err != nil {
		t.Fatal(err)
	}
	if _, err := h.State.Transition(ctx, id, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &dead}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	// Reading sam back shows him still enabled: the disable definitely did
	// not happen, and everyone is told so, not "outcome unknown".
	dm := h.WaitMessage("DM about the outcome", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Support) && bottest.Contains(m, "run it again")
	})
	if bottest.Contains(dm, "outcome was known") || !bottest.Contains(dm, "nothing changed") {
		t.Errorf("the DM should say definitely not done:\n%s", bottest.Text(dm))
	}
	if e, err := h.Audit.Get(ctx, "exec#"+id); err != nil || e.Outcome != audit.OutcomeError ||
		!strings.HasPrefix(e.Message, "not done") || strings.Contains(e.Message, pipeline.UnknownOutcome) {
		t.Errorf("the dead bot's intent is %+v (err %v); want closed as not done", e, err)
	}
	if !bottest.Contains(dm, "sam") {
		t.Errorf("the DM should name the user:\n%s", bottest.Text(dm))
	}
	p, err := h.State.Get(ctx, id)
	if err != nil || p.State != audit.StateFailed || !strings.HasPrefix(p.Result, "not done") {
		t.Fatalf("abandoned action is %s %q (err %v), want FAILED, not done", p.State, p.Result, err)
	}
	if u, _ := h.User("sam"); !u.Enabled {
		t.Fatal("closing an abandoned action must not act on the user")
	}
	answer := h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	if !bottest.Contains(answer, "failed") {
		t.Errorf("a later click should say the attempt failed:\n%s", bottest.Text(answer))
	}
}

// A bot that died after taking the action but before writing its intent never
// called Cognito (the operation only runs after the intent): the requester is
// told nothing was done, not that the outcome is unknown.
func TestActionAbandonedBeforeItsIntentSaysNothingWasDone(t *testing.T) {
	t.Parallel()
	h, clock := stuckWorld(t, "sue")
	prompt := h.Reply(h.Command(bottest.Support, "disable sue"), 1)
	id := buttonValue(t, prompt, "confirm:yes")
	ctx, cancel := h.Timeout()
	defer cancel()
	dead := audit.Actor{UserID: bottest.Support, TeamID: bottest.Team}
	if _, err := h.State.Transition(ctx, id, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &dead}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second) // past the executing timeout, without waiting it out
	dm := h.WaitMessage("DM about the action that never ran", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Support) && bottest.Contains(m, "sue")
	})
	if !bottest.Contains(dm, "nothing was done") || bottest.Contains(dm, "outcome was known") {
		t.Errorf("the DM should say nothing was done:\n%s", bottest.Text(dm))
	}
	if u, _ := h.User("sue"); !u.Enabled {
		t.Fatal("closing an abandoned action must not act on the user")
	}
}
