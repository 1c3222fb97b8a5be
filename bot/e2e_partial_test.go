package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// undeliverable is a directory whose invitations never arrive: Cognito
// creates the user, then fails with CodeDeliveryFailureException, which the
// real directory returns as the created user plus ErrCodeDelivery.
type undeliverable struct{ pipeline.Directory }

func (u undeliverable) CreateUser(ctx context.Context, poolID string, in cognito.NewUser) (*cognito.User, cognito.Result, error) {
	user, res, err := u.Directory.CreateUser(ctx, poolID, in)
	if err != nil {
		return user, res, err
	}
	return user, res, fmt.Errorf("creating user %q: user created but not invited: %w", in.Username, cognito.ErrCodeDelivery)
}

// An invitation that cannot be delivered does not hide that the user exists:
// the desk gets the card, the groups asked for are added, and the answer says
// how to invite them once their email is right.
func TestCreateWhoseInvitationCannotBeDeliveredStillGivesTheUserAndGroups(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return undeliverable{d} }})
	d := h.Command(bottest.Admin, "create nia --email nia@bounce.example --group support")
	card, note := h.Reply(d, 1), h.Reply(d, 2)
	if !bottest.Contains(card, "nia") {
		t.Errorf("the desk should see the new user's card:\n%s", bottest.Text(card))
	}
	if !bottest.Contains(note, "created") || !bottest.Contains(note, "resend-invite") {
		t.Errorf("the answer should say the user exists and how to invite them:\n%s", bottest.Text(note))
	}
	u, ok := h.User("nia")
	if !ok || !slices.Equal(u.Groups, []string{"support"}) {
		t.Fatalf("nia = %+v (exists %v); want created and in support", u, ok)
	}
}

// signOutFails is a directory whose global sign-out is throttled.
type signOutFails struct{ pipeline.Directory }

func (s signOutFails) SignOut(context.Context, string, string) (cognito.Result, error) {
	return cognito.Result{}, fmt.Errorf("signing out: %w", cognito.ErrThrottled)
}

// A suspend whose sign-out fails after the disable says the user is disabled
// and what is left to do, instead of reading as if nothing happened.
func TestSuspendThatCouldNotSignOutSaysWhatWasDone(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return signOutFails{d} }})
	h.CreateUser("sam", "sam@example.com")
	prompt := h.Reply(h.Command(bottest.Admin, "suspend sam"), 1)
	result := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if !bottest.Contains(result, "disabled") || !bottest.Contains(result, "revoke") {
		t.Errorf("the answer should say sam is disabled and to revoke their sessions:\n%s", bottest.Text(result))
	}
	if u, _ := h.User("sam"); u.Enabled {
		t.Fatal("sam should be disabled")
	}
}

// create --verified makes a user whose email and phone are verified at once,
// as the refusal of --attr email_verified=true says to do; it is in the audit
// entry, and it needs the verify action as well as create.
func TestCreateVerifiedMarksTheContactsVerified(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "creators", Members: []string{bottest.Approver2},
			Actions: []config.Action{actions.Lookup, actions.Create}})
	}})
	refusedRole := h.Reply(h.Command(bottest.Approver2, "create kit --email kit@example.com --verified"), 1)
	if !bottest.Contains(refusedRole, "verify") {
		t.Errorf("a role without verify should be told --verified needs it:\n%s", bottest.Text(refusedRole))
	}
	if _, ok := h.User("kit"); ok {
		t.Fatal("kit was created although --verified was refused")
	}
	refused := h.Reply(h.Command(bottest.Admin, "create kim --email kim@example.com --attr email_verified=true"), 1)
	if !bottest.Contains(refused, "--verified") {
		t.Fatalf("the refusal should point to --verified:\n%s", bottest.Text(refused))
	}
	h.Reply(h.Command(bottest.Admin, "create kim --email kim@example.com --phone +15555550100 --verified"), 1)
	if u, ok := h.User("kim"); !ok || !u.EmailVerified || !u.PhoneVerified {
		t.Fatalf("kim = %+v (exists %v); want email and phone verified", u, ok)
	}
	if e := okExecution(t, h, "kim", "create"); e.Params["verified"] == "" {
		t.Errorf("the audit entry does not say the contacts were marked verified: %+v", e.Params)
	}
}

// A viewer whose role offers only verify sees both Verify email and Verify
// phone on the card of a user with neither verified, and each button
// verifies its own contact.
func TestCardOffersVerifyEmailAndVerifyPhone(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "verifiers", Members: []string{bottest.Approver2},
			Actions: []config.Action{actions.Lookup, actions.Verify}})
	}})
	h.CreateUser("lou", "lou@example.com", map[string]string{"email_verified": "false", "phone_number": "+15555550101"})
	card := h.Reply(h.Command(bottest.Approver2, "lookup lou"), 1)
	for _, label := range []string{"Verify email", "Verify phone"} {
		if !bottest.Contains(card, label) {
			t.Fatalf("the card lacks %q:\n%s", label, bottest.Text(card))
		}
	}
	h.Reply(h.Click(card, views.ActionIDCardPrefix+"verify#2", bottest.Approver2), 1)
	if u, _ := h.User("lou"); !u.PhoneVerified || u.EmailVerified {
		t.Fatalf("lou: email verified %v, phone verified %v; want only the phone, as the second button says", u.EmailVerified, u.PhoneVerified)
	}
}

// The card offers what the viewer's role allows beyond its buttons: its menu
// opens the edit form and shows the user's groups, for the user it showed.
func TestCardMenuOpensTheEditFormAndTheGroups(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("cal", "cal@example.com", map[string]string{"name": "Cal"})
	if _, err := h.Users.AddToGroup(bottest.Fixture(context.Background()), h.Pool.ID, "cal", "support"); err != nil {
		t.Fatal(err)
	}
	card := h.Reply(h.Command(bottest.Admin, "lookup cal"), 1)
	groups := h.Reply(choose(t, h, card, "Groups", bottest.Admin), 1)
	if !bottest.Contains(groups, "support") || !bottest.Contains(groups, "groups:remove") {
		t.Fatalf("Groups from the card should list cal's groups with Remove:\n%s", bottest.Text(groups))
	}
	card = h.Reply(h.Command(bottest.Admin, "lookup cal"), 1)
	choose(t, h, card, "Edit attributes…", bottest.Admin)
	if view := waitView(t, h, 1); view.CallbackID != "edit_user" || !strings.Contains(string(view.Blocks), `"initial_value":"Cal"`) {
		t.Fatalf("Edit from the card should open cal's edit form:\n%s", view.Blocks)
	}
	support := h.Reply(h.Command(bottest.Support, "lookup cal"), 1)
	if opts := menuOptions(t, support); opts["Edit attributes…"] != "" || opts["Groups"] != "" {
		t.Errorf("support may neither edit nor see groups, but the card offers %v", opts)
	}
}

// The state store refuses only what it cannot keep exactly, and says so: a
// user in many long-named groups can still be disabled (the request's snapshot
// of them is for display), and an edit the store will not keep is refused as
// such, not as a storage outage.
func TestStateKeepsLargeUsersAndRefusesClearly(t *testing.T) {
	t.Parallel()
	var groups []memdir.GroupSpec
	var names []string
	for i := range 40 {
		name := fmt.Sprintf("department-of-very-long-group-names-number-%02d", i)
		groups, names = append(groups, memdir.GroupSpec{Name: name}), append(names, name)
	}
	h := bottest.New(t, &bottest.Options{MemoryPool: func(s *memdir.PoolSpec) {
		s.Groups = append(s.Groups, groups...)
		s.Attributes = append(s.Attributes, memdir.AttributeSpec{Name: "custom:password_hint"})
	}})
	if err := h.Users.(*memdir.Memory).Seed(h.Pool.ID, memdir.SeedUser{Username: "gia", Email: "gia@example.com", EmailVerified: true, Groups: names}); err != nil {
		t.Fatal(err)
	}
	prompt := h.Reply(h.Command(bottest.Admin, "disable gia"), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if u, _ := h.User("gia"); u.Enabled {
		t.Fatalf("gia, in %d groups, could not be disabled:\n%s", len(names), bottest.Text(prompt))
	}
	refused := h.Reply(h.Command(bottest.Admin, "edit gia custom:password_hint=blue"), 1)
	if bottest.Contains(refused, "DynamoDB") || !bottest.Contains(refused, "Nothing was done") {
		t.Errorf("the refusal should say why, not blame storage:\n%s", bottest.Text(refused))
	}
}

// edit --verified needs the verify action as create --verified does: a role
// with edit alone cannot mark an address verified by editing it.
func TestEditVerifiedNeedsTheVerifyAction(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "editors", Members: []string{bottest.Approver2},
			Actions: []config.Action{actions.Lookup, actions.Edit}})
	}})
	h.CreateUser("eve", "eve@example.com")
	refused := h.Reply(h.Command(bottest.Approver2, "edit eve email=eve@new.example --verified"), 1)
	if !bottest.Contains(refused, "verify") || bottest.Contains(refused, "confirm:yes") {
		t.Fatalf("a role without verify should be refused --verified:\n%s", bottest.Text(refused))
	}
	if u, _ := h.User("eve"); u.Email != "eve@example.com" {
		t.Fatalf("eve's email changed to %q", u.Email)
	}
}
