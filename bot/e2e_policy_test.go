package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// Issue 14's bypasses, each refused with a sentence and an audited denial.

// fourEyesBulk is the world: delete needs an approver of the delete
// rule (Approver, or the Approvers group) and a reason; jobs above three
// users need Admin2, the bulk rule's approver, who is no delete approver.
func fourEyesBulk(c *config.Config) {
	c.Approvals = []config.ApprovalRule{
		{Action: actions.Delete, Approvers: []string{bottest.Approver, bottest.Approvers}, Channel: bottest.Approvals,
			Expiry: config.DefaultApprovalExpiry, RequireReason: true},
		{Action: actions.Bulk, Approvers: []string{bottest.Admin2}, Channel: bottest.Approvals, Expiry: config.DefaultApprovalExpiry},
	}
	c.Bulk.ApprovalAbove = 3
}

// denials are the audited denials of user's requests.
func denials(t *testing.T, h *bottest.Harness, user string) []audit.Entry {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	entries, _, err := h.Audit.ByActor(ctx, bottest.Team, user, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, e := range entries {
		if e.Decision == audit.Denied {
			out = append(out, e)
		}
	}
	return out
}

func deniedWith(t *testing.T, h *bottest.Harness, user, action, fragment string) {
	t.Helper()
	for _, e := range denials(t, h, user) {
		if e.Action == action && strings.Contains(e.DenyReason, fragment) {
			return
		}
	}
	t.Errorf("no audited denial of %s for %s saying %q in %+v", action, user, fragment, denials(t, h, user))
}

func TestBulkDeleteNeedsADeleteApproverAndCarriesTheReasonAndApproval(t *testing.T) {
	t.Parallel()
	bulkDeleteNeedsADeleteApprover(t, nil)
}

func TestBulkDeleteNeedsADeleteApproverOnTheWire(t *testing.T) {
	t.Parallel()
	bulkDeleteNeedsADeleteApprover(t, &bottest.Options{Wire: true})
}

func bulkDeleteNeedsADeleteApprover(t *testing.T, opts *bottest.Options) {
	if opts == nil {
		opts = &bottest.Options{}
	}
	opts.Configure = func(c *config.Config) {
		fourEyesBulk(c)
		fastQuotas(c)
		c.Delete.UndoWindow = 0 // deleted at once, so the job's outcome shows as gone
	}
	h := bottest.New(t, opts)
	names := makeUsers(h, "gone", 2)

	// delete requires a reason, so its jobs do too.
	answer := h.Reply(h.Command(bottest.Admin, "bulk delete "+strings.Join(names, " ")), 1)
	if !bottest.Contains(answer, "needs a reason") {
		t.Fatalf("a bulk delete without a reason should be refused:\n%s", bottest.Text(answer))
	}
	deniedWith(t, h, bottest.Admin, "bulk", "needs a reason")

	dry := h.Reply(h.Command(bottest.Admin, "bulk delete "+strings.Join(names, " ")+` --reason "offboarding"`), 1)
	if !bottest.Contains(dry, "delete needs approval here") {
		t.Fatalf("the dry run should say delete needs approval:\n%s", bottest.Text(dry))
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	card := h.WaitMessage("job approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	// The bulk rule's approver is no delete approver: alone, they cannot let it run.
	if other := h.Reply(h.Click(card, "approval:approve", bottest.Admin2), 1); !bottest.Contains(other, "not an approver for bulk delete") {
		t.Errorf("the bulk approver should be refused:\n%s", bottest.Text(other))
	}
	deniedWith(t, h, bottest.Admin2, "bulk", "not an approver for bulk delete")
	for _, n := range names {
		if _, ok := h.User(n); !ok {
			t.Fatalf("%s was deleted on the bulk approver's word", n)
		}
	}
	h.Click(card, "approval:approve", bottest.Approver)
	waitCardDecided(t, h, card, "Approved")
	resultsCSV(t, h)
	for _, n := range names {
		if _, ok := h.User(n); ok {
			t.Errorf("%s was not deleted by the approved job", n)
		}
		steps := 0
		for _, e := range h.AuditFor(n, 1) {
			if e.Action == "delete" && e.Params["job"] != "" {
				steps++
				if e.Reason != "offboarding" || e.ApprovalID == "" {
					t.Errorf("%s's entry carries reason %q and approval %q; want the job's", n, e.Reason, e.ApprovalID)
				}
			}
		}
		if steps != 1 {
			t.Errorf("%s has %d job entries; want 1", n, steps)
		}
	}
}

// Jobs of one requester within the window count together: two jobs of two
// users each, with approval above three, and the second needs approval.
func TestSmallBulkJobsAddUpToTheApprovalThreshold(t *testing.T) {
	t.Parallel()
	smallBulkJobsAddUp(t, &bottest.Options{})
}

func TestSmallBulkJobsAddUpToTheApprovalThresholdOnTheWire(t *testing.T) {
	t.Parallel()
	smallBulkJobsAddUp(t, &bottest.Options{Wire: true})
}

func smallBulkJobsAddUp(t *testing.T, opts *bottest.Options) {
	opts.Configure = func(c *config.Config) { bulkApprovals(c); fastQuotas(c) }
	h := bottest.New(t, opts)
	names := makeUsers(h, "split", 4)
	first := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names[:2], " ")), 1)
	if bottest.Contains(first, "needs approval") {
		t.Fatalf("a first job of 2 users should not need approval:\n%s", bottest.Text(first))
	}
	h.Click(first, bulkview.ActionIDBulkConfirm, bottest.Admin)
	resultsCSV(t, h)
	second := h.Reply(h.Command(bottest.Admin, "bulk disable "+strings.Join(names[2:], " ")), 1)
	if !bottest.Contains(second, "needs approval") || !bottest.Contains(second, "with your other jobs") {
		t.Fatalf("a second job of 2 users, 4 in all, should need approval:\n%s", bottest.Text(second))
	}
	h.Click(second, bulkview.ActionIDBulkConfirm, bottest.Admin)
	h.WaitMessage("job approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	for _, n := range names[2:] {
		if u, _ := h.User(n); !u.Enabled {
			t.Errorf("%s was disabled before the approval", n)
		}
	}
}

// A role granted create but not add-to-group cannot put the new user into a
// group; nothing is created.
func TestCreateWithAGroupNeedsAddToGroup(t *testing.T) {
	t.Parallel()
	createWithAGroupNeedsAddToGroup(t, nil)
}

func TestCreateWithAGroupNeedsAddToGroupOnTheWire(t *testing.T) {
	t.Parallel()
	createWithAGroupNeedsAddToGroup(t, &bottest.Options{Wire: true})
}

func createWithAGroupNeedsAddToGroup(t *testing.T, opts *bottest.Options) {
	if opts == nil {
		opts = &bottest.Options{}
	}
	opts.Configure = func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "onboarding", Members: []string{bottest.Support},
			Actions: []config.Action{"create", "import", "lookup"}})
	}
	h := bottest.New(t, opts)
	answer := h.Reply(h.Command(bottest.Support, "create newbie --email newbie@example.com --group support --suppress-invite"), 1)
	if !bottest.Contains(answer, "`add-to-group`") {
		t.Errorf("the refusal should name the missing permission:\n%s", bottest.Text(answer))
	}
	if _, ok := h.User("newbie"); ok {
		t.Fatal("newbie was created into a group by a role without add-to-group")
	}
	deniedWith(t, h, bottest.Support, "create", "add-to-group")
	if d := h.Reply(h.Command(bottest.Support, "create newbie --email newbie@example.com"), 1); bottest.Contains(d, "Not allowed") {
		t.Errorf("create without a group should be allowed:\n%s", bottest.Text(d))
	}
	h.Eventually("newbie created", func() bool { _, ok := h.User("newbie"); return ok })
}

// Protected groups guard every change to a member: enable, verify,
// resend-invite … not only destructive actions; reads stay free.
func TestProtectedGroupsGuardEnableAndOtherChanges(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, func(c *config.Config) { c.ProtectedGroups = []string{"admins"} })
	seed(t, h, memdir.SeedUser{Username: "boss", Email: "boss@example.com", Groups: []string{"admins"}, Disabled: true})
	for cmd, action := range map[string]string{"enable boss": "enable", "verify boss email": "verify", "add-to-group boss staff": "add-to-group"} {
		answer := h.Reply(h.Command(bottest.Admin, cmd), 1)
		if !bottest.Contains(answer, "protected group") || !bottest.Contains(answer, "action: "+action) {
			t.Errorf("%s should be refused for the protected group:\n%s", cmd, bottest.Text(answer))
		}
		deniedWith(t, h, bottest.Admin, action, "protected group")
	}
	if u, _ := h.User("boss"); u.Enabled || u.EmailVerified {
		t.Fatalf("boss was changed without approval: %+v", u)
	}
	if card := h.Reply(h.Command(bottest.Admin, "lookup boss"), 1); bottest.Contains(card, "Not allowed") {
		t.Errorf("reading a protected member should stay free:\n%s", bottest.Text(card))
	}
	dry := h.Reply(h.Command(bottest.Admin, "bulk enable --group admins"), 1)
	if !bottest.Contains(dry, "protected group admins") {
		t.Errorf("bulk enable should skip the protected member:\n%s", bottest.Text(dry))
	}
}

// With a rule for enable, enabling a protected member goes for approval.
func TestEnableOnAProtectedMemberGoesForApprovalUnderItsRule(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, func(c *config.Config) {
		c.ProtectedGroups = []string{"admins"}
		c.Approvals = append(c.Approvals, config.ApprovalRule{Action: "enable", Approvers: []string{bottest.Approver},
			Channel: bottest.Approvals, Expiry: config.DefaultApprovalExpiry})
	})
	seed(t, h, memdir.SeedUser{Username: "boss", Email: "boss@example.com", Groups: []string{"admins"}, Disabled: true})
	if answer := h.Reply(h.Command(bottest.Admin, "enable boss"), 1); !bottest.Contains(answer, "Sent for approval") {
		t.Fatalf("enable on a protected member should go for approval:\n%s", bottest.Text(answer))
	}
	card := h.WaitMessage("approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	if u, _ := h.User("boss"); u.Enabled {
		t.Fatal("boss was enabled before the approval")
	}
	h.Click(card, "approval:approve", bottest.Approver)
	h.Eventually("boss enabled", func() bool { u, _ := h.User("boss"); return u.Enabled })
	if !slices.ContainsFunc(executions(h, "boss", "enable", 1), func(e audit.Entry) bool { return e.ApprovalID != "" }) {
		t.Error("the enable ran without its approval id")
	}
}

// The approval card of an email change shows where mail will go, whole; an
// address whose domain breaks DNS's limits is refused when typed.
func TestApprovalCardShowsTheWholeNewEmail(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Approvals = append(c.Approvals, config.ApprovalRule{Action: "edit", Approvers: []string{bottest.Approver},
			Channel: bottest.Approvals, Expiry: config.DefaultApprovalExpiry})
	}})
	h.CreateUser("boss", "boss@corp.example.com")
	tooLong := "boss@corp.example.com." + strings.Repeat("a", 100) + ".evil.example"
	if answer := h.Reply(h.Command(bottest.Admin, "edit boss email="+tooLong), 1); !bottest.Contains(answer, "63 characters") {
		t.Errorf("a domain label of 100 characters should be refused:\n%s", bottest.Text(answer))
	}
	evil := "boss@corp.example.com." + strings.Repeat("a", 60) + "." + strings.Repeat("b", 60) + ".evil.example"
	h.Reply(h.Command(bottest.Admin, "edit boss email="+evil), 1)
	card := h.WaitMessage("approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	if !bottest.Contains(card, evil) || !bottest.Contains(card, ".evil.example` (in full below)") {
		t.Errorf("the approval card hides where mail will go:\n%s", bottest.Text(card))
	}
}

// export may be put under approval: the card shows the filter, an approver
// other than the requester lets it run, and the CSV goes to the requester.
// Every export is audited with its filter and how many rows it wrote.
func TestExportUnderApprovalRunsForTheRequesterAndIsAuditedWithItsFilterAndRows(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Approvals = append(c.Approvals, config.ApprovalRule{Action: "export", Approvers: []string{bottest.Approver},
			Channel: bottest.Approvals, Expiry: config.DefaultApprovalExpiry, RequireReason: true})
	}})
	makeUsers(h, "exp", 2)
	if answer := h.Reply(h.Command(bottest.Admin, "export --prefix email=exp"), 1); !bottest.Contains(answer, "needs a reason") {
		t.Fatalf("an export under a rule asking a reason should ask for one:\n%s", bottest.Text(answer))
	}
	if answer := h.Reply(h.Command(bottest.Admin, `export --prefix email=exp --reason "audit request 7"`), 1); !bottest.Contains(answer, "Sent for approval") {
		t.Fatalf("the export should go for approval:\n%s", bottest.Text(answer))
	}
	card := h.WaitMessage("export approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	if !bottest.Contains(card, "email starts with") || !bottest.Contains(card, "audit request 7") {
		t.Errorf("the card should show the filter and the reason:\n%s", bottest.Text(card))
	}
	if self := h.Reply(h.Click(card, "approval:approve", bottest.Admin), 1); !bottest.Contains(self, "own request") {
		t.Errorf("self-approval should be refused:\n%s", bottest.Text(self))
	}
	h.Click(card, "approval:approve", bottest.Approver)
	f, rows := resultsCSV(t, h)
	if f.Channel != h.Slack.DMChannel(bottest.Admin) || len(rows) != 3 {
		t.Fatalf("the export went to %s with %d rows; want the requester's DM with 2 users", f.Channel, len(rows)-1)
	}
	waitCardDecided(t, h, card, "Approved")
	ctx, cancel := h.Timeout()
	defer cancel()
	entries, _, err := h.Audit.ByActor(ctx, bottest.Team, bottest.Approver, 50, "")
	if err != nil {
		t.Fatal(err)
	}
	approval := ""
	for _, e := range entries {
		if e.Action == "export" && e.Outcome == audit.OutcomeOK && e.Params["phase"] == "execute" {
			approval = e.ApprovalID
			if !strings.Contains(e.Params["filter"], "email starts with") || !strings.Contains(e.Message, "started export job") || e.ApprovalID == "" || e.Reason != "audit request 7" {
				t.Errorf("the approval's entry = filter %q, message %q, approval %q, reason %q", e.Params["filter"], e.Message, e.ApprovalID, e.Reason)
			}
		}
	}
	if approval == "" {
		t.Fatalf("no audited approval of the export by the approver in %+v", entries)
	}
	// The export itself is the requester's job, run under the requester's
	// authority and linked to the approval.
	var export audit.Entry
	h.Eventually("the requester's export entry has its outcome", func() bool {
		entries, _, err = h.Audit.ByActor(ctx, bottest.Team, bottest.Admin, 50, "")
		for _, e := range entries {
			if e.Action == "export" && strings.HasPrefix(e.ID, "bulk#") && e.Outcome != audit.OutcomePending {
				export = e
			}
		}
		return err == nil && export.ID != ""
	})
	found := false
	for _, e := range []audit.Entry{export} {
		if e.Action == "export" && e.Outcome == audit.OutcomeOK && strings.Contains(e.Message, "exported") {
			found = true
			if !strings.Contains(e.Params["filter"], "email starts with") || !strings.Contains(e.Message, "exported 2 users") || e.ApprovalID != approval || e.Reason != "audit request 7" {
				t.Errorf("the export's entry = filter %q, message %q, approval %q (want %q), reason %q", e.Params["filter"], e.Message, e.ApprovalID, approval, e.Reason)
			}
		}
	}
	if !found {
		t.Errorf("the requester's export entry: %s %q", export.Outcome, export.Message)
	}
}

// import, like create, needs add-to-group for the groups its lines put users
// into; nothing is created.
func TestImportWithGroupsNeedsAddToGroup(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "onboarding", Members: []string{bottest.Support},
			Actions: []config.Action{"import", "bulk", "lookup"}})
	}})
	d := h.Command(bottest.Support, "import --reason onboarding")
	view := waitView(t, h, 1)
	f := h.Slack.PutFileBy(bottest.Support, "users.csv", []byte("username,email,groups\nann,ann@example.com,support\nbob,bob@example.com,\n"))
	submit(t, h, view, bottest.Support, map[string]map[string]string{bulkview.BlockIDFile: {bulkview.FileActionID: f.ID}})
	answer := h.Reply(d, 1)
	if !bottest.Contains(answer, "`add-to-group`") || !bottest.Contains(answer, "support") {
		t.Errorf("the refusal should name the missing permission and the group:\n%s", bottest.Text(answer))
	}
	for _, n := range []string{"ann", "bob"} {
		if _, ok := h.User(n); ok {
			t.Errorf("%s was imported", n)
		}
	}
	deniedWith(t, h, bottest.Support, "import", "add-to-group")
}

// The protected-group bypass through enable, on moto and DynamoDB Local.
func TestEnableOnAProtectedMemberIsRefusedOnTheWire(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Wire: true, Configure: func(c *config.Config) { c.ProtectedGroups = []string{"admins"} }})
	h.CreateUser("boss", "boss@example.com")
	ctx, cancel := h.Timeout()
	defer cancel()
	if _, err := h.Users.AddToGroup(bottest.Fixture(ctx), h.Pool.ID, "boss", "admins"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Users.DisableUser(bottest.Fixture(ctx), h.Pool.ID, "boss"); err != nil {
		t.Fatal(err)
	}
	answer := h.Reply(h.Command(bottest.Admin, "enable boss"), 1)
	if !bottest.Contains(answer, "protected group") || !bottest.Contains(answer, "action: enable") {
		t.Errorf("enable on a protected member should be refused:\n%s", bottest.Text(answer))
	}
	if u, _ := h.User("boss"); u.Enabled {
		t.Fatal("boss was enabled without approval")
	}
	deniedWith(t, h, bottest.Admin, "enable", "protected group")
}
