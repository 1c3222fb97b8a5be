package bot_test

// End-to-end tests for the findings of the security review: each failed before its fix.

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// An approver sees exactly what they approve: an edit's new values, not only
// its verb; the user's current email stays masked, as on the rest of the card.
func TestApprovalCardShowsWhatAnEditChanges(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, func(c *config.Config) {
		c.Approvals = []config.ApprovalRule{{Action: config.Action("edit"), Approvers: []string{bottest.Approver},
			Channel: bottest.Approvals, Expiry: config.Duration(time.Hour)}}
	})
	seed(t, h, memdir.SeedUser{Username: "boss", Email: "boss@example.com", EmailVerified: true})
	h.Reply(h.Command(bottest.Admin, "edit boss email=evil@attacker.example --verified --reason x"), 1)
	card := h.WaitMessage("approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	for _, want := range []string{"evil@attacker.example", "b***@example.com", "marked verified"} {
		if !bottest.Contains(card, want) {
			t.Errorf("approval card lacks %q:\n%s", want, bottest.Text(card))
		}
	}
	if bottest.Contains(card, "boss@example.com") {
		t.Errorf("the approvals channel should not see the user's current email whole:\n%s", bottest.Text(card))
	}
}

// The confirm prompt of remove-from-group names the group.
func TestConfirmPromptNamesTheGroup(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, nil)
	seed(t, h, memdir.SeedUser{Username: "gil", Email: "gil@example.com", EmailVerified: true, Groups: []string{"staff"}})
	prompt := h.Reply(h.Command(bottest.Admin, "remove-from-group gil staff"), 1)
	if !bottest.Contains(prompt, "staff") || !bottest.Contains(prompt, "confirm:yes") {
		t.Fatalf("prompt should name the group:\n%s", bottest.Text(prompt))
	}
}

// A double click on a button that runs at once (Enable) runs it once.
func TestDoubleClickOnEnableRunsOnce(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("eli", "eli@example.com")
	if _, err := h.Users.DisableUser(bottest.Fixture(t.Context()), h.Pool.ID, "eli"); err != nil {
		t.Fatal(err)
	}
	card := h.Reply(h.Command(bottest.Admin, "lookup eli"), 1)
	h.ClickAsShown(card, "card:enable", bottest.Admin)
	h.ClickAsShown(card, "card:enable", bottest.Admin)
	h.Eventually("eli enabled", func() bool { u, _ := h.User("eli"); return u.Enabled })
	// Each click finds eli (one audit entry each) before it may run; with the
	// lookup's and the enable's, four entries mean both clicks got that far,
	// however loaded the machine. Then let the second click finish too.
	h.AuditFor("eli", 4)
	time.Sleep(100 * time.Millisecond)
	if n := len(bottest.Executions(h.AuditFor("eli", 2), "enable")); n != 1 {
		t.Fatalf("enable ran %d times; want once", n)
	}
}

// A bulk job never changes a protected group's member on one confirmation: the
// member is skipped (their own request needs approval), everyone else is done.
func TestBulkSkipsProtectedGroupMembers(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, func(c *config.Config) { c.ProtectedGroups = []string{"admins"} })
	seed(t, h, memdir.SeedUser{Username: "boss", Email: "boss@example.com", EmailVerified: true, Groups: []string{"admins"}})
	seed(t, h, memdir.SeedUser{Username: "temp", Email: "temp@example.com", EmailVerified: true})
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable boss temp"), 1)
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	_, rows := resultsCSV(t, h)
	if u, _ := h.User("boss"); !u.Enabled {
		t.Fatal("bulk disable disabled a member of a protected group")
	}
	if u, _ := h.User("temp"); u.Enabled {
		t.Fatal("temp, in no protected group, was not disabled")
	}
	found := false
	for _, row := range rows {
		found = found || (row[0] == "boss" && strings.Contains(strings.Join(row, " "), "protected group"))
	}
	if !found {
		t.Errorf("the results should say boss was skipped for the protected group: %v", rows)
	}
}

// A filtered dry run lists a protected group's members as skipped, before
// anyone confirms, as a dry run of named users does.
func TestBulkFilterDryRunShowsProtectedMembersSkipped(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, func(c *config.Config) { c.ProtectedGroups = []string{"admins", "no-such-group"}; fastQuotas(c) })
	seed(t, h, memdir.SeedUser{Username: "boss", Email: "boss@example.com", EmailVerified: true, Groups: []string{"admins"}})
	seed(t, h, memdir.SeedUser{Username: "temp", Email: "temp@example.com", EmailVerified: true})
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable --enabled"), 1)
	if !bottest.Contains(dry, "1 skipped") || !bottest.Contains(dry, "protected group admins") {
		t.Errorf("the dry run should show boss skipped for the protected group:\n%s", bottest.Text(dry))
	}
}

// Putting someone into a protected group needs approval like changing a member.
func TestAddToAProtectedGroupNeedsApproval(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, func(c *config.Config) { c.ProtectedGroups = []string{"admins"} })
	seed(t, h, memdir.SeedUser{Username: "joe", Email: "joe@example.com", EmailVerified: true})
	res := h.Reply(h.Command(bottest.Admin, "add-to-group joe admins"), 1)
	if !bottest.Contains(res, "protected group") {
		t.Errorf("answer should explain the protected group:\n%s", bottest.Text(res))
	}
	if u, _ := h.User("joe"); slices.Contains(u.Groups, "admins") {
		t.Fatal("joe joined the protected group admins without approval")
	}
	res = h.Reply(h.Command(bottest.Admin, "create newbie --email newbie@example.com --group admins"), 1)
	if !bottest.Contains(res, "protected group") {
		t.Errorf("create --group admins should be refused:\n%s", bottest.Text(res))
	}
	if _, exists := h.User("newbie"); exists {
		t.Fatal("newbie was created into a protected group")
	}
}

// A role limited to one pool reads no other pool's entries through audit --actor.
func TestAuditByActorKeepsToTheViewersPools(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{SecondPool: true, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "other-only", Members: []string{"UOTHER"}, Pools: []string{bottest.OtherPoolName},
			Actions: []config.Action{actions.Audit}})
	}})
	h.CreateUser("prodvip", "prodvip@example.com")
	h.CreateUserIn(h.OtherPool, "otheruser", "o@example.com")
	h.Reply(h.Command(bottest.Admin, "lookup prodvip"), 1)
	h.Reply(h.Command(bottest.Admin, "lookup otheruser --pool "+bottest.OtherPoolName), 1)
	a := h.Reply(h.Command("UOTHER", "audit --actor <@"+bottest.Admin+">"), 1)
	if bottest.Contains(a, "prodvip") {
		t.Fatalf("a role limited to %s read pool %s's entries through --actor:\n%s", bottest.OtherPoolName, bottest.PoolName, bottest.Text(a))
	}
	if !bottest.Contains(a, "otheruser") || !bottest.Contains(a, "<@"+bottest.Admin+">") {
		t.Errorf("entries of the role's own pool should show, titled with the person's mention:\n%s", bottest.Text(a))
	}
}

// A confirmed edit writes exactly what the prompt showed, whatever the
// attribute is called: a name with "code" in it is an ordinary attribute, not
// a secret to blank out on its way through the state store.
func TestConfirmedEditWritesExactlyWhatThePromptShowed(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{MemoryPool: func(s *memdir.PoolSpec) {
		s.Attributes = append(s.Attributes, memdir.AttributeSpec{Name: "custom:country_code"}, memdir.AttributeSpec{Name: "custom:bio"})
	}})
	h.CreateUser("alice", "alice@example.com")
	bio := strings.Repeat("ok-", 80) // as long as a typed argument may be
	prompt := h.Reply(h.Command(bottest.Admin, `edit alice custom:country_code=GB custom:bio="`+bio+`"`), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	u, _ := h.User("alice")
	if u.Attributes["custom:country_code"] != "GB" || u.Attributes["custom:bio"] != bio {
		t.Fatalf("alice's attributes after the confirmed edit: country_code=%q, bio of %d characters",
			u.Attributes["custom:country_code"], len(u.Attributes["custom:bio"]))
	}
}

// In the shared approvals channel an edit of a secret-looking attribute shows
// that it changes, not its values.
func TestApprovalCardHidesSecretLookingValues(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{MemoryPool: func(s *memdir.PoolSpec) {
		s.Attributes = append(s.Attributes, memdir.AttributeSpec{Name: "custom:api_token"})
	}, Configure: func(c *config.Config) {
		c.Approvals = []config.ApprovalRule{{Action: config.Action("edit"), Approvers: []string{bottest.Approver},
			Channel: bottest.Approvals, Expiry: config.Duration(time.Hour)}}
	}})
	h.CreateUser("tia", "tia@example.com", map[string]string{"custom:api_token": "old-s3cret-value"})
	h.Reply(h.Command(bottest.Admin, "edit tia custom:api_token=new-s3cret-value --reason rotate"), 1)
	card := h.WaitMessage("approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	if bottest.Contains(card, "s3cret") || !bottest.Contains(card, "custom:api_token") {
		t.Errorf("the card should name the attribute and hide its values:\n%s", bottest.Text(card))
	}
}
