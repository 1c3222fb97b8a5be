package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// deskWorld is a harness on an in-memory pool with threat protection, two
// app clients (the longer token validity 2 h) and an "admins" group.
func deskWorld(t *testing.T, configure func(*config.Config)) *bottest.Harness {
	t.Helper()
	return bottest.New(t, &bottest.Options{Configure: configure, MemoryPool: func(s *memdir.PoolSpec) {
		s.ThreatProtection = "AUDIT"
		s.Groups = []memdir.GroupSpec{{Name: "admins"}, {Name: "staff"}}
		s.AppClients = []memdir.AppClientSpec{{Name: "web", AccessTokenValidity: 30 * time.Minute, IDTokenValidity: 2 * time.Hour},
			{Name: "cli", AccessTokenValidity: 15 * time.Minute, IDTokenValidity: 15 * time.Minute}}
	}})
}

func seed(t *testing.T, h *bottest.Harness, u memdir.SeedUser) {
	t.Helper()
	if err := h.Users.(*memdir.Memory).Seed(h.Pool.ID, u); err != nil {
		t.Fatal(err)
	}
}

func executions(h *bottest.Harness, username, action string, min int) []audit.Entry {
	h.T.Helper()
	return bottest.Executions(h.AuditFor(username, min), action)
}

func TestResendInviteExplainsOtherStatusesAndRenewsExpiredInvitations(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, nil)
	h.CreateUser("alice", "alice@example.com")
	seed(t, h, memdir.SeedUser{Username: "ivan", Status: "FORCE_CHANGE_PASSWORD", Email: "ivan@example.com",
		Created: time.Now().Add(-10 * 24 * time.Hour)})

	answer := h.Reply(h.Command(bottest.Admin, "resend-invite alice"), 1)
	if !bottest.Contains(answer, "already set a password") || !bottest.Contains(answer, "reset-password") {
		t.Errorf("resend-invite on a CONFIRMED user should say what to do instead:\n%s", bottest.Text(answer))
	}
	if n := len(executions(h, "alice", "resend-invite", 1)); n != 0 {
		t.Errorf("resend-invite ran on alice %d times", n)
	}

	card := h.Reply(h.Command(bottest.Admin, "lookup ivan"), 1)
	if !bottest.Contains(card, "invitation expired") || buttons(t, card)[0]["action_id"] != "card:resend-invite" {
		t.Fatalf("the card should say the invitation expired and offer Resend invite first:\n%s", bottest.Text(card))
	}
	result := h.Reply(h.Click(card, "card:resend-invite", bottest.Admin), 1)
	if !bottest.Contains(result, "Resent the invitation to") {
		t.Fatalf("result:\n%s", bottest.Text(result))
	}
	if u, _ := h.User("ivan"); time.Since(u.Modified) > time.Minute {
		t.Errorf("the invitation was not renewed: modified %v", u.Modified)
	}
	if e := executions(h, "ivan", "resend-invite", 2); len(e) != 1 || e[0].Outcome != audit.OutcomeOK {
		t.Errorf("want one ok resend-invite in the audit log, got %+v", e)
	}
	if why := h.Reply(h.Command(bottest.Admin, "why ivan"), 1); bottest.Contains(why, "expired") || !bottest.Contains(why, "has not signed in yet") {
		t.Errorf("after the resend, why should say the invitation is valid:\n%s", bottest.Text(why))
	}
}

func TestConfirmSignUpFromTheWhyButton(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, func(c *config.Config) {
		for i := range c.Roles {
			if c.Roles[i].Name == "support" {
				c.Roles[i].Actions = append(c.Roles[i].Actions, "why")
			}
		}
	})
	seed(t, h, memdir.SeedUser{Username: "una", Status: "UNCONFIRMED", Email: "una@example.com"})
	why := h.Reply(h.Command(bottest.Support, "diagnose una"), 1)
	if !bottest.Contains(why, "never entered the confirmation code") || bottest.Contains(why, "card:confirm-signup") {
		t.Fatalf("support (no confirm-signup) should get the sentence without the button:\n%s", bottest.Text(why))
	}
	why = h.Reply(h.Command(bottest.Admin, "why una"), 1)
	h.Reply(h.Click(why, "card:confirm-signup", bottest.Admin), 1)
	if u, _ := h.User("una"); u.Status != "CONFIRMED" {
		t.Fatalf("status %s after Confirm sign-up", u.Status)
	}
	if e := executions(h, "una", "confirm-signup", 2); len(e) != 1 || e[0].Outcome != audit.OutcomeOK {
		t.Errorf("audit: %+v", e)
	}
	answer := h.Reply(h.Command(bottest.Admin, "confirm-signup una"), 1)
	if !bottest.Contains(answer, "already confirmed") {
		t.Errorf("a second confirm should explain:\n%s", bottest.Text(answer))
	}
}

func TestVerifyMarksTheContactVerified(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, nil)
	seed(t, h, memdir.SeedUser{Username: "vic", Email: "vic@example.com"})
	if a := h.Reply(h.Command(bottest.Admin, "verify vic sms"), 1); !bottest.Contains(a, "email, phone") {
		t.Errorf("a wrong attribute should get the choices:\n%s", bottest.Text(a))
	}
	if a := h.Reply(h.Command(bottest.Admin, "verify vic phone"), 1); !bottest.Contains(a, "no phone number") {
		t.Errorf("verifying a missing phone should explain:\n%s", bottest.Text(a))
	}
	card := h.Reply(h.Command(bottest.Admin, "lookup vic"), 1)
	if !bottest.Contains(card, "no verified email or phone") || buttons(t, card)[0]["action_id"] != "card:verify" {
		t.Fatalf("the card should offer Verify first:\n%s", bottest.Text(card))
	}
	h.Reply(h.Command(bottest.Admin, "verify vic EMAIL"), 1)
	if u, _ := h.User("vic"); !u.EmailVerified {
		t.Fatal("email not verified")
	}
	if e := executions(h, "vic", "verify", 3); len(e) != 1 || e[0].Params["arg.attribute"] != "email" {
		t.Errorf("audit: %+v", e)
	}
}

func TestResetMFAAsksFirst(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, nil)
	seed(t, h, memdir.SeedUser{Username: "mo", Phone: "+15555550124", PhoneVerified: true, MFAMethods: []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}, PreferredMFA: "SMS_MFA"})
	seed(t, h, memdir.SeedUser{Username: "nomfa", Email: "n@example.com", EmailVerified: true})
	if a := h.Reply(h.Command(bottest.Admin, "reset-mfa nomfa"), 1); !bottest.Contains(a, "nothing to reset") {
		t.Errorf("a user without MFA:\n%s", bottest.Text(a))
	}
	prompt := h.Reply(h.Command(bottest.Admin, "reset-mfa mo"), 1)
	if u, _ := h.User("mo"); len(u.MFAMethods) != 2 {
		t.Fatal("MFA was reset before confirmation")
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if u, _ := h.User("mo"); len(u.MFAMethods) != 0 || u.PreferredMFA != "" {
		t.Fatalf("after reset-mfa: %v %q", u.MFAMethods, u.PreferredMFA)
	}
	if e := executions(h, "mo", "reset-mfa", 3); len(e) != 1 {
		t.Errorf("audit: %+v", e)
	}
}

func TestSuspendDisablesSignsOutAndSaysHowLongTokensLive(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, nil)
	h.CreateUser("sam", "sam@example.com")
	card := h.Reply(h.Command(bottest.Admin, "lookup sam"), 1)
	prompt := h.Reply(choose(t, h, card, "Suspend", bottest.Admin), 1)
	if !bottest.Contains(prompt, "confirm:yes") {
		t.Fatalf("Suspend from the menu should ask first:\n%s", bottest.Text(prompt))
	}
	result := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if !bottest.Contains(result, "Suspended") || !bottest.Contains(result, "up to 2 h") {
		t.Fatalf("the answer should say tokens may live up to 2 h:\n%s", bottest.Text(result))
	}
	if u, _ := h.User("sam"); u.Enabled {
		t.Fatal("sam is still enabled")
	}
	e := executions(h, "sam", "suspend", 3)
	if len(e) != 1 || e[0].Outcome != audit.OutcomeOK || !strings.Contains(e[0].Message, "2 h") {
		t.Errorf("audit: %+v", e)
	}
}

func TestHistoryShowsEventsOrSaysTheAddOnIsMissing(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, nil)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	seed(t, h, memdir.SeedUser{Username: "eve", Email: "eve@example.com", EmailVerified: true, AuthEvents: []cognito.AuthEvent{
		{Time: at, Type: "SignIn", Result: "Fail", IP: "192.0.2.1", City: "<!channel> *Lyon*"},
		{Time: at.Add(time.Hour), Type: "SignIn", Result: "Pass", IP: "192.0.2.2", Device: "Firefox"},
	}})
	answer := h.Reply(h.Command(bottest.Support, "history eve"), 1)
	if !bottest.Contains(answer, "Not allowed") {
		t.Errorf("support has no history right:\n%s", bottest.Text(answer))
	}
	answer = h.Reply(h.Command(bottest.Admin, "history eve"), 1)
	for _, want := range []string{"192.0.2.1", "192.0.2.2", "Firefox", "&lt;!channel&gt;"} {
		if !bottest.Contains(answer, want) {
			t.Errorf("history lacks %q:\n%s", want, bottest.Text(answer))
		}
	}
	if bottest.Contains(answer, "<!channel>") {
		t.Error("a city from Cognito pinged the channel")
	}
	if why := h.Reply(h.Command(bottest.Admin, "why eve"), 1); !bottest.Contains(why, "Last successful sign-in: 1 Mar 2026 10:00 UTC") {
		t.Errorf("why should give the last sign-in:\n%s", bottest.Text(why))
	}

	plain := bottest.New(t, nil) // no threat protection
	plain.CreateUser("eve", "eve@example.com")
	answer = plain.Reply(plain.Command(bottest.Admin, "history eve"), 1)
	if !bottest.Contains(answer, "does not record sign-in events") {
		t.Errorf("without the add-on the answer should say so plainly:\n%s", bottest.Text(answer))
	}
	if e := plain.AuditFor("eve", 1); e[0].Action != "history" || e[0].Outcome != audit.OutcomeOK {
		t.Errorf("audit: %+v", e[0])
	}
}

func TestDevicesForgetButton(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, nil)
	at := time.Now().Add(-time.Hour)
	seed(t, h, memdir.SeedUser{Username: "dan", Email: "dan@example.com", EmailVerified: true, Devices: []cognito.Device{
		{Key: "us-east-1_old", Name: "Firefox", LastAuthenticated: at.Add(-time.Hour)},
		{Key: "us-east-1_new", Name: "iPhone", LastAuthenticated: at},
	}})
	list := h.Reply(h.Command(bottest.Admin, "devices dan"), 1)
	if !bottest.Contains(list, "iPhone") || !bottest.Contains(list, `"confirm"`) || len(buttons(t, list)) != 2 {
		t.Fatalf("devices should list both with confirmed Forget buttons:\n%s", bottest.Text(list))
	}
	if bottest.Contains(list, "us-east-1_new") {
		t.Error("the device key must not be in the message; buttons carry opaque ids")
	}
	h.Reply(h.Click(list, "device:forget", bottest.Admin), 1) // the first: iPhone, used last
	devices, _ := h.Users.ListDevices(bottest.Fixture(context.Background()), h.Pool.ID, "dan")
	if len(devices) != 1 || devices[0].Key != "us-east-1_old" {
		t.Fatalf("after Forget: %+v", devices)
	}
	e := executions(h, "dan", "forget-device", 2)
	if len(e) != 1 || e[0].Params["arg.device"] != "us-east-1_new" {
		t.Errorf("audit: %+v", e)
	}
	if a := h.Reply(h.Command(bottest.Support, "devices dan"), 1); !bottest.Contains(a, "Not allowed") {
		t.Errorf("support may not list devices:\n%s", bottest.Text(a))
	}
}

func TestProtectedGroupMembersNeedApproval(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, func(c *config.Config) {
		c.ProtectedGroups = []string{"admins"}
		c.Approvals = []config.ApprovalRule{{Action: actions.Delete, Approvers: []string{bottest.Approver}, Channel: bottest.Approvals,
			Expiry: config.Duration(time.Hour)}}
	})
	seed(t, h, memdir.SeedUser{Username: "boss", Email: "boss@example.com", EmailVerified: true, Groups: []string{"admins"}})
	seed(t, h, memdir.SeedUser{Username: "joe", Email: "joe@example.com", EmailVerified: true, Groups: []string{"staff"}})

	answer := h.Reply(h.Command(bottest.Admin, "disable boss"), 1)
	if !bottest.Contains(answer, "protected group") || !bottest.Contains(answer, "action: disable") {
		t.Fatalf("disable on a protected user without a rule should be refused and say what to configure:\n%s", bottest.Text(answer))
	}
	if u, _ := h.User("boss"); !u.Enabled {
		t.Fatal("boss was disabled")
	}
	denied := slices.ContainsFunc(h.AuditFor("boss", 2), func(e audit.Entry) bool { return e.Decision == audit.Denied })
	if !denied {
		t.Error("the refusal is not in the audit log")
	}
	card := h.Reply(h.Command(bottest.Admin, "lookup boss"), 1)
	h.Reply(h.Click(card, "card:disable", bottest.Admin), 1)
	if u, _ := h.User("boss"); !u.Enabled {
		t.Fatal("the card button disabled a protected user")
	}
	answer = h.Reply(h.Command(bottest.Admin, "delete boss --reason offboarding"), 1)
	if !bottest.Contains(answer, "approval") {
		t.Errorf("delete has a rule: it should go for approval:\n%s", bottest.Text(answer))
	}
	prompt := h.Reply(h.Command(bottest.Admin, "disable joe"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if u, _ := h.User("joe"); u.Enabled {
		t.Error("an unprotected user should be disabled after a plain confirmation")
	}
}
