package bot_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// lockedBuffer collects the bots' logs from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitView waits for the nth modal (1-based) the bots opened.
func waitView(t *testing.T, h *bottest.Harness, n int) slackemu.View {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	var view slackemu.View
	if err := h.Slack.Wait(ctx, func() bool {
		vs := h.Slack.Views()
		if len(vs) < n {
			return false
		}
		view = vs[n-1]
		return true
	}); err != nil {
		t.Fatalf("no modal %d opened: %v", n, err)
	}
	return view
}

func submit(t *testing.T, h *bottest.Harness, view slackemu.View, user string, values map[string]map[string]string) *slackemu.Delivery {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.SubmitView(ctx, view.ID, user, values)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func okExecution(t *testing.T, h *bottest.Harness, username, action string) audit.Entry {
	t.Helper()
	var execs []audit.Entry
	for _, e := range h.AuditFor(username, 1) {
		if e.Action == action && e.Params["phase"] == "execute" && e.Outcome == audit.OutcomeOK {
			execs = append(execs, e)
		}
	}
	if len(execs) != 1 {
		t.Fatalf("want one ok %s of %s in the audit log, got %+v", action, username, execs)
	}
	return execs[0]
}

func TestCreateInvitesWithAttributesAndGroups(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	card := h.Reply(h.Command(bottest.Admin, `create bob --email bob@example.com --name "Bob Builder" --attr custom:tenant=acme --attr custom:employee_id=E7 --group support --group admins`), 1)
	if !bottest.Contains(card, "Created *bob*") || !bottest.Contains(card, "invitation by email") || !card.Ephemeral {
		t.Fatalf("want the new user's card, ephemeral:\n%s", bottest.Text(card))
	}
	u, ok := h.User("bob")
	if !ok {
		t.Fatal("bob was not created")
	}
	if u.Status != "FORCE_CHANGE_PASSWORD" || u.Email != "bob@example.com" || u.Attributes["name"] != "Bob Builder" ||
		u.Attributes["custom:tenant"] != "acme" || u.Attributes["custom:employee_id"] != "E7" || !slices.Equal(u.Groups, []string{"admins", "support"}) {
		t.Fatalf("bob = %+v", u)
	}
	e := okExecution(t, h, "bob", "create")
	if e.Params["invitation"] != "email" || e.Params["groups"] != "support,admins" || e.Target.Sub != u.Sub {
		t.Errorf("audit entry = %+v", e)
	}
}

func TestCreateSuppressedShowsPasswordOnlyToRequester(t *testing.T) {
	t.Parallel()
	logs := &lockedBuffer{}
	h := bottest.New(t, &bottest.Options{LogTo: logs})
	card := h.Reply(h.Command(bottest.Admin, "create carl --email carl@example.com --suppress-invite"), 1)
	m := regexp.MustCompile("Temporary password\\* \\(only you see this, and only now\\): `([^`]+)`").FindStringSubmatch(card.RenderedText())
	if m == nil {
		t.Fatalf("no temporary password shown:\n%s", bottest.Text(card))
	}
	password := m[1]
	if !card.Ephemeral || card.User != bottest.Admin {
		t.Fatalf("the password must be in an ephemeral message to the requester, got %+v", card)
	}
	if u, ok := h.User("carl"); !ok || u.Status != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("carl = %+v", u)
	}
	// The password works: it sets as a permanent one only if it meets the policy,
	// and the user was created with it (Memory checks the policy on create).
	okExecution(t, h, "carl", "create")
	for _, e := range h.AuditFor("carl", 1) {
		raw, _ := json.Marshal(e)
		if strings.Contains(string(raw), password) {
			t.Errorf("audit entry holds the password: %s", raw)
		}
	}
	for _, msg := range h.Slack.Messages(func(m slackemu.Message) bool { return strings.Contains(bottest.Text(m), password) }) {
		if !msg.Ephemeral || msg.User != bottest.Admin {
			t.Errorf("the password is in a message others can see: %+v", msg)
		}
	}
	h.Reply(h.Command(bottest.Admin, "lookup carl"), 1) // more traffic through the logger
	if strings.Contains(logs.String(), password) {
		t.Error("the password is in the logs")
	}
}

func TestCreateRefusesBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("alice", "alice@example.com")
	for cmd, want := range map[string]string{
		"create alice --email other@example.com":                     "already exists",
		"create dan --email not-an-email":                            "email address",
		"create dan --email dan@example.com --phone 555":             "E.164",
		"create dan --email dan@example.com --attr custom:nope=1":    "no attribute",
		"create dan --email dan@example.com --group wizards":         "no group",
		"create dan --email dan@example.com --attr email_verified=1": "managed by Cognito",
		"create dan": "--email",
	} {
		answer := h.Reply(h.Command(bottest.Admin, cmd), 1)
		if !strings.Contains(answer.RenderedText(), want) {
			t.Errorf("%s: want %q in:\n%s", cmd, want, answer.RenderedText())
		}
	}
	if _, ok := h.User("dan"); ok {
		t.Error("dan was created")
	}
	if u, _ := h.User("alice"); u.Email != "alice@example.com" {
		t.Errorf("alice changed: %+v", u)
	}
	if d := h.Reply(h.Command(bottest.Support, "create erin --email erin@example.com"), 1); !bottest.Contains(d, "Not allowed") {
		t.Errorf("support may not create users:\n%s", bottest.Text(d))
	}
}

func TestCreateModalValidatesInPlaceAndCreates(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	d := h.Command(bottest.Admin, "create")
	view := waitView(t, h, 1)
	if view.CallbackID != "create_user" || !strings.Contains(view.RenderedText(), "custom:tenant") || !strings.Contains(view.RenderedText(), "admins") {
		t.Fatalf("create modal:\n%s", view.RenderedText())
	}
	submit(t, h, view, bottest.Admin, map[string]map[string]string{"username": {"value": "fay"}, "attr:email": {"value": "nope"}})
	ctx, cancel := h.Timeout()
	defer cancel()
	if err := h.Slack.Wait(ctx, func() bool { v, _ := h.Slack.View(view.ID); return v.Errors["attr:email"] != "" }); err != nil {
		t.Fatal("an invalid email should be refused in the modal")
	}
	if v, _ := h.Slack.View(view.ID); !v.Open {
		t.Fatal("the modal closed on an invalid email")
	}
	submit(t, h, view, bottest.Admin, map[string]map[string]string{
		"username": {"value": "fay"}, "attr:email": {"value": "fay@example.com"}, "attr:custom:tenant": {"value": "initech"},
		"groups": {"value": "1"}, "invite": {"value": "suppress"}})
	card := h.Reply(d, 1)
	if !bottest.Contains(card, "Temporary password") || !card.Ephemeral {
		t.Fatalf("want the card with the password, ephemeral:\n%s", bottest.Text(card))
	}
	u, ok := h.User("fay")
	if !ok || u.Attributes["custom:tenant"] != "initech" || !slices.Equal(u.Groups, []string{"support"}) {
		t.Fatalf("fay = %+v", u)
	}
}

func TestEditInlineConfirmsOldToNew(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("alice", "alice@example.com", map[string]string{"name": "Alice", "custom:tenant": "acme"})
	prompt := h.Reply(h.Command(bottest.Admin, `edit alice name="Alice Smith" custom:tenant= email=alice@new.example --verified locale=en-GB`), 1)
	text := prompt.RenderedText()
	for _, want := range []string{"`Alice` → `Alice Smith`", "`acme` → _(deleted)_", "`alice@example.com` → `alice@new.example` (marked verified)", "_(none)_ → `en-GB`"} {
		if !strings.Contains(text, want) {
			t.Errorf("prompt lacks %q:\n%s", want, text)
		}
	}
	if u, _ := h.User("alice"); u.Attributes["name"] != "Alice" {
		t.Fatal("changed before confirmation")
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	u, _ := h.User("alice")
	if u.Attributes["name"] != "Alice Smith" || u.Attributes["custom:tenant"] != "" || u.Email != "alice@new.example" || !u.EmailVerified || u.Attributes["locale"] != "en-GB" {
		t.Fatalf("alice = %+v", u.Attributes)
	}
	okExecution(t, h, "alice", "edit")

	same := h.Reply(h.Command(bottest.Admin, `edit alice name="Alice Smith"`), 1)
	if !bottest.Contains(same, "Nothing to change") {
		t.Errorf("an edit to the same value should change nothing:\n%s", bottest.Text(same))
	}
	for cmd, want := range map[string]string{
		"edit alice custom:employee_id=9": "cannot be changed",
		"edit alice custom:nope=1":        "no attribute",
		"edit alice sub=x":                "managed by Cognito",
		"edit alice email=bad":            "email address",
		"edit alice name=x --verified":    "--verified",
	} {
		if a := h.Reply(h.Command(bottest.Admin, cmd), 1); !strings.Contains(a.RenderedText(), want) {
			t.Errorf("%s: want %q in:\n%s", cmd, want, a.RenderedText())
		}
	}
}

func TestEditModalPrefillsAndSendsOnlyChanges(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("gus", "gus@example.com", map[string]string{"name": "Gus", "custom:employee_id": "E1"})
	d := h.Command(bottest.Admin, "edit gus")
	view := waitView(t, h, 1)
	if view.CallbackID != "edit_user" || !strings.Contains(string(view.Blocks), `"initial_value":"Gus"`) || !strings.Contains(view.RenderedText(), "Read-only") ||
		strings.Contains(string(view.Blocks), `"block_id":"attr:custom:employee_id"`) {
		t.Fatalf("edit modal:\n%s", view.Blocks)
	}
	// Untouched inputs submit their prefilled values; only the phone changes.
	submit(t, h, view, bottest.Admin, map[string]map[string]string{"attr:phone_number": {"value": "+15555550123"}, "verified": {"value": "phone_number"}})
	prompt := h.Reply(d, 1)
	if text := prompt.RenderedText(); !strings.Contains(text, "_(none)_ → `+15555550123` (marked verified)") || strings.Contains(text, "Gus") && strings.Contains(text, "→ `Gus`") {
		t.Fatalf("prompt:\n%s", text)
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if u, _ := h.User("gus"); u.Phone != "+15555550123" || !u.PhoneVerified || u.Attributes["name"] != "Gus" {
		t.Fatalf("gus = %+v", u.Attributes)
	}
}

func TestGroupsListAndUserGroupButtons(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("hal", "hal@example.com")
	list := h.Reply(h.Command(bottest.Admin, "groups"), 1).RenderedText()
	if !strings.Contains(list, "*admins* · precedence 1 — Full access") || !strings.Contains(list, "*support* · precedence 2 — Help desk") {
		t.Fatalf("groups list:\n%s", list)
	}
	h.Reply(h.Command(bottest.Admin, "add-to-group hal support"), 1)
	if u, _ := h.User("hal"); !slices.Equal(u.Groups, []string{"support"}) {
		t.Fatalf("hal's groups = %v", u.Groups)
	}
	okExecution(t, h, "hal", "add-to-group")

	msg := h.Reply(h.Command(bottest.Admin, "groups hal"), 1)
	if !strings.Contains(string(msg.Blocks), `"action_id":"groups:remove","confirm"`) {
		t.Fatalf("Remove should ask Slack's confirm dialog:\n%s", bottest.Text(msg))
	}
	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.Choose(ctx, msg, "groups:add", bottest.Admin, buttonValueOfOption(t, msg, "admins"))
	if err != nil {
		t.Fatal(err)
	}
	h.Reply(d, 1)
	if u, _ := h.User("hal"); !slices.Equal(u.Groups, []string{"admins", "support"}) {
		t.Fatalf("after adding: %v", u.Groups)
	}
	// The add replaced the message with its result; show the groups again.
	msg = h.Reply(h.Command(bottest.Admin, "groups hal"), 1)
	if !strings.Contains(msg.RenderedText(), "admins") || !strings.Contains(msg.RenderedText(), "support") {
		t.Fatalf("groups of hal:\n%s", msg.RenderedText())
	}
	h.Reply(h.ClickAsShown(msg, "groups:remove", bottest.Admin), 1)
	// The first Remove button is for the first group shown, admins.
	if u, _ := h.User("hal"); !slices.Equal(u.Groups, []string{"support"}) {
		t.Fatalf("after removing: %v", u.Groups)
	}
	okExecution(t, h, "hal", "remove-from-group")
}

// buttonValueOfOption is the value of the select option labelled label.
func buttonValueOfOption(t *testing.T, m slackemu.Message, label string) string {
	t.Helper()
	re := regexp.MustCompile(`"text":"` + regexp.QuoteMeta(label) + `","type":"plain_text"\},"value":"([^"]+)"`)
	if sm := re.FindStringSubmatch(string(m.Blocks)); sm != nil {
		return sm[1]
	}
	t.Fatalf("no option %q in:\n%s", label, m.Blocks)
	return ""
}

func TestRemoveFromGroupByCommandConfirms(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("ian", "ian@example.com")
	h.Reply(h.Command(bottest.Admin, "add-to-group ian admins"), 1)
	prompt := h.Reply(h.Command(bottest.Admin, "remove-from-group ian admins"), 1)
	if u, _ := h.User("ian"); len(u.Groups) != 1 {
		t.Fatal("removed before confirmation")
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if u, _ := h.User("ian"); len(u.Groups) != 0 {
		t.Fatalf("ian's groups = %v", u.Groups)
	}
	if a := h.Reply(h.Command(bottest.Admin, "add-to-group ian wizards"), 1); !bottest.Contains(a, "group doesn") {
		t.Errorf("unknown group:\n%s", bottest.Text(a))
	}
}

func TestDeskCommandsOnTheWire(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true})
	h.Reply(h.Command(bottest.Admin, `create wes --email wes@example.com --name "Wes" --attr custom:tenant=acme --group support`), 1)
	u, ok := h.User("wes")
	if !ok || u.Attributes["custom:tenant"] != "acme" || !slices.Equal(u.Groups, []string{"support"}) || u.Status != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("wes on moto = %+v", u)
	}
	prompt := h.Reply(h.Command(bottest.Admin, `edit wes name="Wes Anderson" custom:tenant=`), 1)
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	h.Reply(h.Command(bottest.Admin, "add-to-group wes admins"), 1)
	u, _ = h.User("wes")
	if u.Attributes["name"] != "Wes Anderson" || u.Attributes["custom:tenant"] != "" || !slices.Equal(u.Groups, []string{"admins", "support"}) {
		t.Fatalf("wes on moto after edit = %+v %v", u.Attributes, u.Groups)
	}
	okExecution(t, h, "wes", "edit")
}
