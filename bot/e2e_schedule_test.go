package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

const berlin = "Europe/Berlin"

// scheduleWorld is a bot with a movable clock whose Admin lives in Berlin.
func scheduleWorld(t *testing.T, opts bottest.Options) (*bottest.Harness, *bottest.Clock) {
	t.Helper()
	clock := &bottest.Clock{}
	opts.Now = clock.Now
	h := bottest.New(t, &opts)
	h.Slack.SetUser(slack.User{ID: bottest.Admin, Name: "admin", TZ: berlin})
	return h, clock
}

// inBerlin is now+d as a Berlin wall-clock time, as a person types it.
func inBerlin(t *testing.T, now time.Time, d time.Duration) (string, time.Time) {
	t.Helper()
	loc, err := time.LoadLocation(berlin)
	if err != nil {
		t.Fatal(err)
	}
	at := now.Add(d).In(loc).Truncate(time.Minute)
	return at.Format("2006-01-02 15:04"), at
}

// A disable scheduled in the requester's own time zone is confirmed now,
// listed with Cancel, and run by the scheduler at that time as the requester,
// who is told; until then nothing changes.
func TestScheduledDisableRunsAtItsTimeAsTheRequester(t *testing.T) {
	t.Parallel()
	h, clock := scheduleWorld(t, bottest.Options{})
	testScheduledDisable(t, h, clock, func() { sweep(h) }, func() {})
}

// On the wire the schedule lives in DynamoDB: the replica that took the
// request stops, and the other one runs it.
func TestScheduledDisableRunsAtItsTimeAsTheRequesterWire(t *testing.T) {
	t.Parallel()
	h, clock := scheduleWorld(t, bottest.Options{Wire: true, Replicas: 2})
	testScheduledDisable(t, h, clock, func() {
		ctx, cancel := context.WithCancel(context.Background()) // no deadline, as sweep
		defer cancel()
		h.Bots[1].Sweep(ctx)
	}, func() { h.StopReplica(0) })
}

func testScheduledDisable(t *testing.T, h *bottest.Harness, clock *bottest.Clock, runDue, beforeDue func()) {
	h.CreateUser("mia", "mia@example.com")
	typed, at := inBerlin(t, clock.Now(), 48*time.Hour)
	prompt := h.Reply(h.Command(bottest.Admin, `disable mia --at "`+typed+`"`), 1)
	if !bottest.Contains(prompt, "Scheduled for "+at.Format("Mon 2006-01-02 15:04")) || !bottest.Contains(prompt, "confirm:yes") {
		t.Fatalf("the prompt does not show the time in the requester's zone:\n%s", bottest.Text(prompt))
	}
	done := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if !bottest.Contains(done, "Scheduled to disable") {
		t.Fatalf("the confirmation does not say it was scheduled:\n%s", bottest.Text(done))
	}
	if u, _ := h.User("mia"); !u.Enabled {
		t.Fatal("mia was disabled at once instead of at the scheduled time")
	}
	list := h.Reply(h.Command(bottest.Admin, "scheduled"), 1)
	if !bottest.Contains(list, "mia") || !bottest.Contains(list, views.ActionIDScheduleCancel) {
		t.Fatalf("scheduled does not list mia with Cancel:\n%s", bottest.Text(list))
	}
	clock.Advance(47 * time.Hour)
	sweep(h)
	if u, _ := h.User("mia"); !u.Enabled {
		t.Fatal("mia was disabled before the scheduled time")
	}
	beforeDue()
	clock.Advance(time.Hour + time.Minute)
	runDue() // a replica's own sweep may get there first: either way it runs once
	h.Eventually("mia disabled at the scheduled time", func() bool { u, _ := h.User("mia"); return u != nil && !u.Enabled })
	h.WaitMessage("the requester told it ran", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "scheduled disable of") && bottest.Contains(m, "✅")
	})
	var runs int
	for _, e := range h.AuditFor("mia", 3) {
		if e.Params["phase"] == "scheduled-at" && e.Outcome == audit.OutcomeOK && e.Actor.UserID == bottest.Admin {
			runs++
		}
	}
	if runs != 1 {
		t.Errorf("want one audited scheduled run as the requester, got %d", runs)
	}
}

// Times that cannot be scheduled get a sentence and an audited denial, and
// nothing is asked or changed.
func TestScheduleRefusesBadTimes(t *testing.T) {
	t.Parallel()
	h, clock := scheduleWorld(t, bottest.Options{})
	h.CreateUser("ned", "ned@example.com")
	past, _ := inBerlin(t, clock.Now(), -time.Hour)
	far, _ := inBerlin(t, clock.Now(), 91*24*time.Hour)
	soon, _ := inBerlin(t, clock.Now(), time.Hour)
	for _, c := range []struct{ user, at, want string }{
		{bottest.Admin, past, "not in the future"},
		{bottest.Admin, far, "more than 90 days"},
		{bottest.Admin, soon + " Mars/Olympus", "not a time zone I know"},
		{bottest.Admin, "next friday", "not a time I can read"},
		{bottest.Admin2, soon, "couldn't read your Slack time zone"},
	} {
		answer := h.Reply(h.Command(c.user, `suspend ned --at "`+c.at+`"`), 1)
		if !bottest.Contains(answer, c.want) || !bottest.Contains(answer, "Nothing was scheduled") || bottest.Contains(answer, "confirm:yes") {
			t.Errorf("--at %q: want a sentence saying %q, got:\n%s", c.at, c.want, bottest.Text(answer))
		}
	}
	if u, _ := h.User("ned"); !u.Enabled {
		t.Fatal("a refused schedule changed ned")
	}
	denials := 0
	for _, e := range h.AuditFor("ned", 5) {
		if e.Decision == audit.Denied && strings.HasPrefix(e.DenyReason, "bad time") {
			denials++
		}
	}
	if denials != 5 {
		t.Errorf("want 5 audited refusals, got %d", denials)
	}
	// An RFC 3339 time with its zone needs no Slack time zone.
	rfc := clock.Now().Add(2 * time.Hour).In(time.FixedZone("", 3600)).Format(time.RFC3339)
	if ok := h.Reply(h.Command(bottest.Admin2, "suspend ned --at "+rfc), 1); !bottest.Contains(ok, "confirm:yes") {
		t.Errorf("an RFC 3339 time was not accepted:\n%s", bottest.Text(ok))
	}
}

// A scheduled delete is approved when it is scheduled; at its time it is the
// delete of the undo window. Cancel from the list stops a scheduled action.
func TestScheduledDeleteIsApprovedNowAndCancelStopsAnother(t *testing.T) {
	t.Parallel()
	h, clock := scheduleWorld(t, bottest.Options{Approvals: true})
	h.CreateUser("ola", "ola@example.com")
	h.CreateUser("pam", "pam@example.com")
	typed, _ := inBerlin(t, clock.Now(), 24*time.Hour)
	answer := h.Reply(h.Command(bottest.Admin, `delete ola --reason leaver --at "`+typed+`"`), 1)
	if !bottest.Contains(answer, "approval") {
		t.Fatalf("a scheduled delete should go for approval first:\n%s", bottest.Text(answer))
	}
	card := h.WaitMessage("approval card for ola", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "ola") && bottest.Contains(m, "approval:approve")
	})
	h.Click(card, "approval:approve", bottest.Approver)
	decided := waitCardDecided(t, h, card, "Approved")
	if !bottest.Contains(decided, "Scheduled delete of ola") {
		t.Errorf("the card does not say the delete was scheduled:\n%s", bottest.Text(decided))
	}
	if u, _ := h.User("ola"); u == nil || !u.Enabled {
		t.Fatal("ola was changed at approval instead of at the scheduled time")
	}

	prompt := h.Reply(h.Command(bottest.Admin, `disable pam --at "`+typed+`"`), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	list := h.Reply(h.Command(bottest.Admin, "scheduled"), 1)
	ctx, cancel := h.Timeout()
	defer cancel()
	var pamButton *slackemu.Button
	for _, b := range list.Buttons() {
		if sc, err := h.State.GetSchedule(ctx, b.Value); err == nil && b.ActionID == views.ActionIDScheduleCancel && sc.Target.Username == "pam" {
			pamButton = &b
		}
	}
	if pamButton == nil {
		t.Fatalf("no Cancel for pam in the list:\n%s", bottest.Text(list))
	}
	d, err := h.Slack.BlockAction(ctx, slackemu.BlockActionSpec{UserID: bottest.Admin, ChannelID: list.Channel, MessageTS: list.TS,
		ActionID: pamButton.ActionID, BlockID: pamButton.BlockID, Value: pamButton.Value, Text: pamButton.Text})
	if err != nil {
		t.Fatal(err)
	}
	cancelled := h.Reply(d, 1)
	if !bottest.Contains(cancelled, "will not run") {
		t.Fatalf("Cancel did not say so:\n%s", bottest.Text(cancelled))
	}
	clock.Advance(25 * time.Hour)
	sweep(h)
	if u, _ := h.User("pam"); !u.Enabled {
		t.Error("a cancelled schedule ran")
	}
	if u, _ := h.User("ola"); u == nil || u.Enabled {
		t.Fatal("ola's scheduled delete should have disabled her and started the undo window")
	}
	if card := h.Reply(h.Command(bottest.Admin, "lookup ola"), 1); !bottest.Contains(card, "Scheduled for deletion") || !bottest.Contains(card, bottest.Approver) {
		t.Errorf("ola's card does not show the deletion approved by the approver:\n%s", bottest.Text(card))
	}
}

// A scheduled disable that was only confirmed does not run on a user who has
// since joined a protected group: that needs approval now.
func TestScheduledActionIsRecheckedOnTheUserWhenDue(t *testing.T) {
	t.Parallel()
	h, clock := scheduleWorld(t, bottest.Options{Configure: func(c *config.Config) { c.ProtectedGroups = []string{"vips"} },
		MemoryPool: func(p *memdir.PoolSpec) { p.Groups = append(p.Groups, memdir.GroupSpec{Name: "vips"}) }})
	h.CreateUser("xia", "xia@example.com")
	typed, _ := inBerlin(t, clock.Now(), 2*time.Hour)
	prompt := h.Reply(h.Command(bottest.Admin, `disable xia --at "`+typed+`"`), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	ctx, cancel := h.Timeout()
	defer cancel()
	if _, err := h.Users.AddToGroup(bottest.Fixture(ctx), h.Pool.ID, "xia", "vips"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2*time.Hour + time.Minute)
	sweep(h)
	h.WaitMessage("the requester told it did not run", func(m slackemu.Message) bool {
		return m.Channel == h.Slack.DMChannel(bottest.Admin) && bottest.Contains(m, "❌") && bottest.Contains(m, "protected group")
	})
	if u, _ := h.User("xia"); !u.Enabled {
		t.Fatal("a scheduled disable ran on a protected member without approval")
	}
}
