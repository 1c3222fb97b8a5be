package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestListPagesForwardAndBack(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	for i := range 25 {
		h.CreateUser(fmt.Sprintf("user%02d", i), fmt.Sprintf("user%02d@example.com", i))
	}
	page1 := h.Reply(h.Command(bottest.Support, "list --limit 10"), 1)
	if got := countUsers(page1); got != 10 {
		t.Fatalf("page 1 shows %d users, want 10:\n%s", got, page1.Blocks)
	}
	if bottest.Contains(page1, "list:prev") || !bottest.Contains(page1, "list:next") {
		t.Fatalf("page 1 should offer Next only:\n%s", page1.Blocks)
	}
	seen := usersOn(page1)
	page2 := h.Reply(h.Click(page1, "list:next", bottest.Support), 1)
	if page2.TS != page1.TS {
		t.Error("paging should replace the list in place")
	}
	for u := range usersOn(page2) {
		if seen[u] {
			t.Errorf("%s appears on pages 1 and 2", u)
		}
		seen[u] = true
	}
	page3 := h.Reply(h.Click(page2, "list:next", bottest.Support), 1)
	for u := range usersOn(page3) {
		seen[u] = true
	}
	if len(seen) != 25 {
		t.Errorf("three pages showed %d distinct users, want 25", len(seen))
	}
	if bottest.Contains(page3, "list:next") {
		t.Error("the last page should have no Next button")
	}
	back := h.Reply(h.Click(page3, "list:prev", bottest.Support), 1)
	if countUsers(back) != 10 {
		t.Errorf("going back shows %d users, want 10", countUsers(back))
	}
}

func TestListFiltersDisabledUsers(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("on1", "on1@example.com")
	h.CreateUser("off1", "off1@example.com")
	prompt := h.Reply(h.Command(bottest.Admin, "disable off1"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	list := h.Reply(h.Command(bottest.Admin, "list --disabled"), 1)
	if !bottest.Contains(list, "off1") || bottest.Contains(list, "on1@") {
		t.Fatalf("--disabled should list only off1:\n%s", list.Blocks)
	}
}

func TestAuditCommandShowsHistory(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("judy", "judy@example.com")
	prompt := h.Reply(h.Command(bottest.Support, "disable judy"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Support), 1)
	h.AuditFor("judy", 3)

	log := h.Reply(h.Command(bottest.Support, "audit judy"), 1)
	if !bottest.Contains(log, "disable") || !bottest.Contains(log, bottest.Support) {
		t.Fatalf("audit view should show the disable by %s:\n%s", bottest.Support, bottest.Text(log))
	}
	byActor := h.Reply(h.Command(bottest.Admin, "audit --actor <@USUPPORT|support>"), 1)
	if !bottest.Contains(byActor, "judy") {
		t.Fatalf("audit by actor should list judy:\n%s", bottest.Text(byActor))
	}
}

func TestHelpShowsOnlyPermittedCommands(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	help := h.Reply(h.Command(bottest.Support, "help"), 1)
	if !bottest.Contains(help, "lookup") || bottest.Contains(help, "delete <") {
		t.Fatalf("support's help should list lookup and not delete:\n%s", bottest.Text(help))
	}
	pools := h.Reply(h.Command(bottest.Support, "pools"), 1)
	if !bottest.Contains(pools, h.Pool.ID) {
		t.Fatalf("pools should list %s:\n%s", h.Pool.ID, bottest.Text(pools))
	}
}

func TestBadInputGetsAClearAnswerAndTheBotKeepsServing(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("kate", "kate@example.com")
	cases := []struct {
		text string
		want string
	}{
		{`lookup a"b`, "Quotes"},
		{"lookup " + strings.Repeat("x", 5000), "too long"},
		{"lookup 名前ü🙂", "No user"},
		{"", "lookup"},
		{"frobnicate kate", "Unknown command"},
		{"lokup kate", "Did you mean"},
		{"lookup", "Missing"},
		{"list --limit 999", "--limit"},
		{"lookup kate --pool nope", "Unknown pool"},
		{`disable "kate`, "quote"},
	}
	for _, c := range cases {
		answer := h.Reply(h.Command(bottest.Admin, c.text), 1)
		if !bottest.Contains(answer, c.want) {
			t.Errorf("%.40q: answer lacks %q:\n%s", c.text, c.want, bottest.Text(answer))
		}
		if bottest.Contains(answer, "goroutine") || bottest.Contains(answer, "panic") {
			t.Errorf("%.40q: answer leaks internals:\n%s", c.text, bottest.Text(answer))
		}
	}
	// A forged button value is refused and changes nothing.
	ctx, cancel := h.Timeout()
	defer cancel()
	for _, v := range []string{"not-a-real-id-0000000000", "../../etc", strings.Repeat("A", 3000)} {
		d, err := h.Slack.BlockAction(ctx, slackemu.BlockActionSpec{
			UserID: bottest.Admin, ChannelID: bottest.Channel, ActionID: "confirm:yes", Value: v, Ephemeral: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		if answer := h.Reply(d, 1); !bottest.Contains(answer, "not valid") {
			t.Errorf("forged value %.20q: %s", v, bottest.Text(answer))
		}
	}
	// Still serving.
	if card := h.Reply(h.Command(bottest.Admin, "lookup kate"), 1); !bottest.Contains(card, "kate@example.com") {
		t.Fatalf("bot stopped serving after bad input:\n%s", bottest.Text(card))
	}
}

func TestReconnectsAfterRefreshAndDroppedSocket(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("leo", "leo@example.com")
	before := h.Slack.ConnectionsOpened()

	h.Slack.Disconnect("refresh_requested")
	waitReconnect(t, h, before+1)
	if card := h.Reply(h.Command(bottest.Admin, "lookup leo"), 1); !bottest.Contains(card, "leo@example.com") {
		t.Fatal("no answer after refresh_requested")
	}
	h.Slack.DropConnections()
	waitReconnect(t, h, before+2)
	if card := h.Reply(h.Command(bottest.Admin, "lookup leo"), 1); !bottest.Contains(card, "leo@example.com") {
		t.Fatal("no answer after a dropped socket")
	}
}

func waitReconnect(t *testing.T, h *bottest.Harness, opened int) {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	if err := h.Slack.Wait(ctx, func() bool { return h.Slack.ConnectionsOpened() >= opened && h.Slack.Connections() == 1 }); err != nil {
		t.Fatalf("bot did not reconnect: %v", err)
	}
}

func usersOn(m slackemu.Message) map[string]bool {
	out := map[string]bool{}
	for i := range 100 {
		name := fmt.Sprintf("user%02d@", i)
		if strings.Contains(string(m.Blocks), name) {
			out[name] = true
		}
	}
	return out
}

func countUsers(m slackemu.Message) int { return len(usersOn(m)) }

func TestAuditByEmailOffersAPickWhenSeveralMatch(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("xena1", "twins@example.com")
	h.CreateUser("xena2", "twins@example.com")
	list := h.Reply(h.Command(bottest.Support, "audit twins@example.com"), 1)
	if !bottest.Contains(list, "xena1") || !bottest.Contains(list, "pick") {
		t.Fatalf("several matches should be offered to pick from:\n%s", bottest.Text(list))
	}
	log := h.Reply(h.Click(list, "pick", bottest.Support), 1)
	if !bottest.Contains(log, "Audit log") || !bottest.Contains(log, "xena") {
		t.Fatalf("picking should show that user's audit log:\n%s", bottest.Text(log))
	}
}
