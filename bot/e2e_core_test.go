package bot_test

// End-to-end tests for the core's promises (issue 7): each would fail on the bot
// before the pipeline, the exact identities and the per-pool policy existed.

import (
	"context"
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

// A sign-up whose username is someone else's email: the card shows the sign-up, so
// its Disable button must disable the sign-up, never the person whose email it is.
func TestCardButtonDisablesTheUserItShowed(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("ceo", "ceo@corp.com")
	h.CreateUser("ceo@corp.com", "a@evil.test")

	card := h.Reply(h.Command(bottest.Support, "lookup a@evil.test"), 1)
	if !bottest.Contains(card, "ceo@corp.com") {
		t.Fatalf("card should show the sign-up:\n%s", bottest.Text(card))
	}
	h.Reply(h.Click(card, "card:disable", bottest.Support), 1)
	h.Eventually("the sign-up disabled", func() bool { u, _ := h.User("ceo@corp.com"); return !u.Enabled })
	if u, _ := h.User("ceo"); !u.Enabled {
		t.Fatal("the CEO was disabled by a button on someone else's card")
	}
}

// Usernames that look like a phone number, contain quotes and backslashes, or have
// the shape of a sub work on every card button: they are never re-read as queries.
func TestCardButtonsWorkForUsernamesThatLookLikeQueries(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	names := []string{"+15555550100", `o"brien\x`, "3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c"}
	for i, name := range names {
		email := "u" + string(rune('a'+i)) + "@example.com"
		h.CreateUser(name, email)
		card := h.Reply(h.Command(bottest.Admin, "lookup "+email), 1)
		for _, action := range []string{"card:disable", "card:revoke"} {
			res := h.Reply(h.Click(card, action, bottest.Admin), 1)
			if bottest.Contains(res, "Could not") || bottest.Contains(res, "No user") || bottest.Contains(res, "doesn't look like") {
				t.Errorf("%s on %q failed:\n%s", action, name, bottest.Text(res))
			}
			card = h.Reply(h.Command(bottest.Admin, "lookup "+email), 1)
		}
		if u, _ := h.User(name); u.Enabled {
			t.Errorf("%q is still enabled after Disable", name)
		}
	}
}

// A pick list remembers each candidate exactly: picking the user whose username is
// a phone number must not act on the user who has that phone number.
func TestPickListActsOnTheChosenUserExactly(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("+15555550111", "shared@example.com")
	h.CreateUser("pat", "shared@example.com", map[string]string{"phone_number": "+15555550111"})

	list := h.Reply(h.Command(bottest.Admin, "disable shared@example.com"), 1)
	text, buttons := bottest.Text(list), list.Buttons()
	first, second := strings.Index(text, "+15555550111"), strings.Index(text, "*pat*")
	if len(buttons) != 2 || first < 0 || second < first {
		t.Fatalf("pick list should offer +15555550111 first, then pat:\n%s", text)
	}
	pick := buttons[0]
	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.BlockAction(ctx, slackemu.BlockActionSpec{UserID: bottest.Admin, ChannelID: list.Channel, MessageTS: list.TS,
		ActionID: pick.ActionID, BlockID: pick.BlockID, Value: pick.Value, Text: pick.Text})
	if err != nil {
		t.Fatal(err)
	}
	prompt := h.Reply(d, 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	h.Eventually("the picked user disabled", func() bool { u, _ := h.User("+15555550111"); return !u.Enabled })
	if u, _ := h.User("pat"); !u.Enabled {
		t.Fatal("pat, whose phone is the picked username, was disabled")
	}
}

// A role limited to one pool cannot act on another, and is offered no buttons there.
func TestRoleLimitedToAPoolCannotActOnAnother(t *testing.T) {
	t.Parallel()
	const desk = "UOTHERDESK"
	h := bottest.New(t, &bottest.Options{SecondPool: true, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "other-desk", Members: []string{desk},
			Actions: []config.Action{actions.Lookup, actions.ResetPassword, actions.Disable}, Pools: []string{bottest.OtherPoolName}})
	}})
	h.CreateUser("alice", "alice@example.com")
	h.CreateUserIn(h.OtherPool, "alice", "alice@other.example.com")

	denied := h.Reply(h.Command(desk, "reset-password alice --pool "+bottest.PoolName), 1)
	if !bottest.Contains(denied, "Not allowed") || !bottest.Contains(denied, bottest.OtherPoolName) {
		t.Errorf("reset in the default pool should be refused, naming the pools the role covers:\n%s", bottest.Text(denied))
	}
	if u, _ := h.User("alice"); u.Status == "RESET_REQUIRED" {
		t.Fatal("alice in the default pool was reset by a role limited to another pool")
	}
	card := h.Reply(h.Command(desk, "lookup alice --pool "+bottest.OtherPoolName), 1)
	if !bottest.Contains(card, "card:disable") || !bottest.Contains(card, "card:reset-password") {
		t.Errorf("card in the role's own pool should offer its actions:\n%s", bottest.Text(card))
	}
	if other := h.Reply(h.Command(desk, "lookup alice"), 1); !bottest.Contains(other, "Not allowed") {
		t.Errorf("lookup in the default pool should be refused:\n%s", bottest.Text(other))
	}
	help := h.Reply(h.Command(desk, "help"), 1)
	if !bottest.Contains(help, "pools: "+bottest.OtherPoolName) {
		t.Errorf("help should say the commands are limited to %s:\n%s", bottest.OtherPoolName, bottest.Text(help))
	}
}

// An approval runs only while its requester still holds the action: someone removed
// from the group that granted delete cannot have their request approved.
func TestApprovalRefusedWhenTheRequesterLostTheAction(t *testing.T) {
	t.Parallel()
	const deleter, deleters = "UDELETER", "SDELETERS"
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{Approvals: true, Now: clock.Now, GroupRefresh: time.Second, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "deleters", Members: []string{deleters},
			Actions: []config.Action{actions.Lookup, actions.Delete}})
	}})
	h.Slack.SetUserGroup(deleters, []string{deleter})
	h.CreateUser("ivy", "ivy@example.com")
	card := requestDelete(t, h, deleter, "ivy", "")

	h.Slack.SetUserGroup(deleters, nil)
	clock.Advance(3 * time.Second) // past the cached membership's maximum age
	refused := h.Reply(h.Click(card, "approval:approve", bottest.Approver), 1)
	if !bottest.Contains(refused, "may no longer") {
		t.Errorf("approver should be told the requester lost the action:\n%s", bottest.Text(refused))
	}
	if _, exists := h.User("ivy"); !exists {
		t.Fatal("ivy was deleted on behalf of someone who may no longer delete")
	}
	denied := false
	for _, e := range h.AuditFor("ivy", 2) {
		denied = denied || (e.Decision == audit.Denied && strings.Contains(e.DenyReason, "may no longer"))
	}
	if !denied {
		t.Error("the refusal was not audited")
	}
}

// pendingFor stores a pending action as an earlier bot (or configuration) made it.
func pendingFor(t *testing.T, h *bottest.Harness, id, poolName, poolID, username string) {
	t.Helper()
	u, _ := h.User(username)
	now := time.Now()
	_, err := h.State.Create(context.Background(), audit.Pending{
		ID: id, Kind: "confirm", Action: "delete",
		Target: audit.Target{Pool: poolID, Username: username, Sub: u.Sub}, Params: map[string]string{"pool_name": poolName},
		Requester: audit.Actor{UserID: bottest.Admin, TeamID: bottest.Team}, Channel: bottest.Channel,
		CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute),
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A confirmation made before an approval rule covered its action is not run on
// Confirm: it now needs approval.
func TestConfirmRefusedWhenAnApprovalRuleNowCoversIt(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Approvals: true})
	h.CreateUser("jo", "jo@example.com")
	pendingFor(t, h, "pOLDCONFIRM00001", h.Pool.Name, h.Pool.ID, "jo")
	prompt := h.PostButton(bottest.Channel, "Delete jo?", "confirm:yes", "pOLDCONFIRM00001")

	res := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if !bottest.Contains(res, "now needs approval") {
		t.Errorf("answer should say delete now needs approval:\n%s", bottest.Text(res))
	}
	if _, exists := h.User("jo"); !exists {
		t.Fatal("jo was deleted without the approval the configuration now demands")
	}
}

// A pending action on a pool that is no longer configured is refused.
func TestConfirmRefusedWhenThePoolIsNoLongerConfigured(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("kai", "kai@example.com")
	pendingFor(t, h, "pGONEPOOL0000001", "retired", h.Pool.ID, "kai")
	prompt := h.PostButton(bottest.Channel, "Delete kai?", "confirm:yes", "pGONEPOOL0000001")

	res := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if !bottest.Contains(res, "no longer configured") {
		t.Errorf("answer should say the pool is no longer configured:\n%s", bottest.Text(res))
	}
	if _, exists := h.User("kai"); !exists {
		t.Fatal("kai was deleted through a pool that is no longer configured")
	}
}

// A lookup by email is in the user's own history, with the sub it resolved to.
func TestLookupByEmailIsInTheUsersHistory(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("lee", "lee@example.com")
	h.Reply(h.Command(bottest.Support, "lookup lee@example.com"), 1)
	u, _ := h.User("lee")
	entries := h.AuditFor("lee", 1)
	if entries[0].Action != "lookup" || entries[0].Target.Sub != u.Sub || entries[0].Actor.UserID != bottest.Support {
		t.Fatalf("lee's history starts with %+v; want the lookup by %s with sub %s", entries[0], bottest.Support, u.Sub)
	}
	hist := h.Reply(h.Command(bottest.Admin, "audit lee"), 1)
	if !bottest.Contains(hist, bottest.Support) {
		t.Errorf("audit lee should show who looked lee up by email:\n%s", bottest.Text(hist))
	}
}

// An intent whose bot stopped before the outcome (an enable has no pending item)
// is closed by the sweeper as "outcome unknown".
func TestSweeperClosesAnIntentLeftOpen(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{AbandonAfter: 50 * time.Millisecond, SweepEvery: quickSweeps})
	err := h.Audit.Begin(context.Background(), audit.Entry{ID: "exec#crashed-enable", Action: "enable",
		Actor: audit.Actor{UserID: bottest.Admin, TeamID: bottest.Team}, Target: audit.Target{Pool: h.Pool.ID, Username: "mo"},
		Decision: audit.Allowed, Outcome: audit.OutcomePending})
	if err != nil {
		t.Fatal(err)
	}
	h.Eventually("the open intent closed", func() bool {
		entries := h.AuditFor("mo", 1)
		return entries[0].Outcome == audit.OutcomeError && strings.Contains(entries[0].Message, "outcome unknown")
	})
}

// A person from a workspace the bot does not serve (a Slack Connect guest from
// another organisation) is refused.
func TestUserFromAnotherWorkspaceIsRefused(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("nia", "nia@example.com")
	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.SlashCommand(ctx, slackemu.SlashCommand{UserID: bottest.Admin, TeamID: "T0ELSEWHERE",
		ChannelID: bottest.Channel, Command: bottest.SlashName, Text: "disable nia"})
	if err != nil {
		t.Fatal(err)
	}
	if res := h.Reply(d, 1); !bottest.Contains(res, "does not serve your workspace") {
		t.Errorf("a user of another workspace should be refused:\n%s", bottest.Text(res))
	}
}

// One person's flood: past their burst the requests wait in their own queue
// and are answered late, one per token of their rate; only those beyond that
// queue are turned away, with one warning. Everyone else is served meanwhile.
// The person's rate is five times the production default (2/s), so the
// queue takes a second to drain, far longer than the admin's lookup; the
// flood is typed in milliseconds, far less than one token's time.
func TestOnePersonsFloodIsQueuedAndDelaysNoOneElse(t *testing.T) {
	t.Parallel()
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{PerUserRate: 10, PerUserBurst: 3, PerUserQueue: 10, Now: clock.Now})
	h.CreateUser("ola", "ola@example.com")
	var flood []*slackemu.Delivery
	for range 30 {
		flood = append(flood, h.Command(bottest.Support, "help"))
	}
	answered := func() (served, warned int) {
		for _, d := range flood {
			for _, p := range h.Slack.ResponsePosts(d.ResponseURL) {
				m, _ := h.Slack.Message(p.Channel, p.TS)
				if bottest.Contains(m, "requests waiting their turn") {
					warned++
				} else {
					served++
				}
			}
		}
		return served, warned
	}
	card := h.Reply(h.Command(bottest.Admin, "lookup ola"), 1)
	if !bottest.Contains(card, "ola@example.com") {
		t.Fatalf("the admin's lookup was not served during the flood:\n%s", bottest.Text(card))
	}
	// Ten queued requests take a second at 10/s: the admin was not put
	// behind them.
	if served, _ := answered(); served >= 13 {
		t.Errorf("all %d of the flood were answered before the admin's lookup; the admin waited behind the flood", served)
	}
	// The rest of the queue drains on the bots' clock, a second of it per
	// look: a token is then due at once, up to the burst, when the person's
	// queue hands on its next request.
	h.Eventually("the burst and the queue answered", func() bool {
		clock.Advance(time.Second)
		s, _ := answered()
		return s >= 13
	})
	// A request or two may have left the queue while the flood was still
	// being typed, making room for as many more; the rest were turned away.
	if served, warned := answered(); served > 16 || warned != 1 {
		t.Errorf("flood of 30: %d served and %d warnings; want the burst of 3 and the queue of 10 served (a few more at most), and one warning", served, warned)
	}
}

// A Confirm click beyond the person's queue is not taken, and the person is
// told so even right after a "slow down" warning: a decision is never dropped
// silently.
func TestConfirmClickBeyondThePersonsQueueIsAnsweredNotDropped(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{PerUserRate: 0.01, PerUserBurst: 1, PerUserQueue: 1})
	h.CreateUser("ola", "ola@example.com")
	prompt := h.Reply(h.Command(bottest.Admin, "disable ola"), 1)
	h.Command(bottest.Admin, "help")          // waits its turn (100 s at 0.01/s)
	extra := h.Command(bottest.Admin, "help") // beyond the queue: warned
	if res := h.Reply(extra, 1); !bottest.Contains(res, "requests waiting their turn") {
		t.Fatalf("beyond the queue: %s", bottest.Text(res))
	}
	res := h.Reply(h.Click(prompt, views.ActionIDConfirmYes, bottest.Admin), 1)
	if !bottest.Contains(res, "this click was not taken: nothing was done") {
		t.Errorf("the confirm click beyond the queue should be answered:\n%s", bottest.Text(res))
	}
	if u, _ := h.User("ola"); !u.Enabled {
		t.Error("ola was disabled by a click the bot said it did not take")
	}
}

// A card button whose action needs a reason, when the modal cannot open, answers
// with the usage that says how to give one — not "internal error".
func TestCardReasonUsageIsShownAsUsage(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Actions = map[config.Action]config.ActionOptions{actions.Disable: {RequireReason: true}}
	}})
	h.CreateUser("pia", "pia@example.com")
	card := h.Reply(h.Command(bottest.Admin, "lookup pia"), 1)
	h.Slack.InjectFault("views.open", 1, slackemu.Fault{Error: "expired_trigger_id"})
	res := h.Reply(h.Click(card, "card:disable", bottest.Admin), 1)
	if !bottest.Contains(res, "--reason") || bottest.Contains(res, "Internal error") {
		t.Errorf("answer should be the usage asking for --reason:\n%s", bottest.Text(res))
	}
}
