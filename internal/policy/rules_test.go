package policy_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// fourEyes is issue 14's world: delete needs UA's approval with a reason,
// bulk jobs above three users need UB's.
func fourEyes() *config.Config {
	c := &config.Config{
		Roles: []config.Role{{Name: "admin", Actions: []config.Action{"*"}, Members: []string{"U1REQ"}}},
		Approvals: []config.ApprovalRule{
			{Action: "delete", Approvers: []string{"U1A"}, Channel: "C1DELETE", RequireReason: true},
			{Action: "bulk", Approvers: []string{"U1B"}, Channel: "C1BULK"},
		},
		Bulk: config.Bulk{ApprovalAbove: 3},
	}
	c.ApplyDefaults()
	return c
}

func askJob(p *policy.Policy, a actions.Action, targets, recent int, reason bool) policy.Decision {
	return p.Decide(who("U1REQ"), policy.Request{Stage: policy.Ask, Action: a, Channel: "C1", Pool: "prod",
		Job: &policy.Job{Targets: targets, Recent: recent}, HasReason: reason})
}

// A bulk job never needs less than the same action on one user: a job of an
// action with its own rule is approved under that rule, by its approvers,
// with its reason — whatever its size and whether or not the bulk rule also
// applies.
func TestBulkJobOfAnApprovedActionIsApprovedUnderThatActionsRule(t *testing.T) {
	p := policy.New(fourEyes())
	d := askJob(p, "delete", 2, 0, false)
	if d.Verdict != policy.Approve || d.Rule.Channel != "C1DELETE" || !d.NeedReason {
		t.Fatalf("bulk delete of 2 = %v under %q, reason needed %v; want approval under delete's rule, with a reason", d.Verdict, d.Rule.Channel, d.NeedReason)
	}
	if d := askJob(p, "delete", 50, 0, true); d.Verdict != policy.Approve || d.Rule.Channel != "C1DELETE" || d.NeedReason {
		t.Errorf("bulk delete of 50 = %v under %q; want delete's rule even above the bulk threshold", d.Verdict, d.Rule.Channel)
	}
	job := func(approver string, a actions.Action) policy.Decision {
		requester := who("U1REQ")
		return p.Decide(who(approver), policy.Request{Stage: policy.Review, Action: a, Pool: "prod",
			Job: &policy.Job{Targets: 50}, Requester: &requester})
	}
	if d := job("U1B", "delete"); d.Allowed() || !strings.Contains(d.Reason, "not an approver for bulk delete") {
		t.Errorf("the bulk approver approving a bulk delete = %v %q; want refused", d.Verdict, d.Reason)
	}
	if d := job("U1A", "delete"); !d.Allowed() {
		t.Errorf("the delete approver approving a bulk delete = %q; want allowed", d.Reason)
	}
	if d := job("U1B", "disable"); !d.Allowed() {
		t.Errorf("the bulk approver approving a bulk disable = %q; want allowed", d.Reason)
	}
	if d := job("U1A", "disable"); d.Allowed() {
		t.Error("the delete approver may approve a bulk disable, which only the bulk rule guards")
	}
	// Without any bulk rule, the action's own rule still holds the job.
	c := fourEyes()
	c.Approvals, c.Bulk.ApprovalAbove = c.Approvals[:1], 0
	if d := askJob(policy.New(c), "delete", 1, 0, true); d.Verdict != policy.Approve || d.Rule.Channel != "C1DELETE" {
		t.Errorf("bulk delete with no bulk rule = %v %q; want approval under delete's rule", d.Verdict, d.Reason)
	}
	// The action's require_reason applies to its jobs.
	c = fourEyes()
	c.Actions = map[config.Action]config.ActionOptions{"disable": {RequireReason: true}}
	if d := askJob(policy.New(c), "disable", 1, 0, false); d.Verdict != policy.Confirm || !d.NeedReason {
		t.Errorf("bulk disable where disable requires a reason = %v, reason needed %v", d.Verdict, d.NeedReason)
	}
}

// A requester's jobs within the window count together against
// bulk.approval_above, so splitting a big job into small ones does not
// escape approval.
func TestSmallJobsOfOneRequesterAddUpAgainstTheThreshold(t *testing.T) {
	p := policy.New(fourEyes())
	for _, tt := range []struct {
		targets, recent int
		want            policy.Verdict
		why             string
	}{
		{3, 0, policy.Confirm, ""},
		{4, 0, policy.Approve, "it acts on more than 3 users"},
		{2, 1, policy.Confirm, ""},
		{2, 2, policy.Approve, "with your other jobs of the last 24h it acts on 4 users"},
		{1, 3, policy.Approve, "4 users, more than 3"},
	} {
		d := askJob(p, "disable", tt.targets, tt.recent, true)
		if d.Verdict != tt.want || !strings.Contains(d.Reason, tt.why) || (tt.want == policy.Approve && d.Rule.Channel != "C1BULK") {
			t.Errorf("job of %d after %d recent = %v %q under %q; want %v %q", tt.targets, tt.recent, d.Verdict, d.Reason, d.Rule.Channel, tt.want, tt.why)
		}
	}
}

// create and import need add-to-group for each group they put users into,
// and verify for --verified; a protected group needs an approval they cannot
// wait for. Each refusal names what is missing.
func TestCreateAndImportNeedThePermissionsOfWhatTheyAdd(t *testing.T) {
	c := &config.Config{
		Roles: []config.Role{
			{Name: "creators", Actions: []config.Action{"create", "import", "bulk"}, Members: []string{"U1CREATOR"}},
			{Name: "onboarding", Actions: []config.Action{"create", "import", "bulk", "add-to-group", "verify"}, Members: []string{"U1ONBOARD"}},
		},
		ProtectedGroups: []string{"admins"},
	}
	c.ApplyDefaults()
	p := policy.New(c)
	ask := func(user string, a actions.Action, groups []string, verified bool) policy.Decision {
		r := policy.Request{Stage: policy.Ask, Action: a, Channel: "C1", Pool: "prod", AddGroups: groups, Verified: verified}
		if a == actions.Import {
			r.Job = &policy.Job{Targets: 2}
		}
		return p.Decide(who(user), r)
	}
	for _, a := range []actions.Action{actions.Create, actions.Import} {
		if d := ask("U1CREATOR", a, []string{"billing-admins"}, false); d.Allowed() || !strings.Contains(d.Reason, "`add-to-group`") || !strings.Contains(d.Reason, `"billing-admins"`) {
			t.Errorf("%s --group without add-to-group = %v %q; want refused naming add-to-group and the group", a, d.Verdict, d.Reason)
		}
		if d := ask("U1CREATOR", a, nil, false); !d.Allowed() {
			t.Errorf("%s without groups refused: %q", a, d.Reason)
		}
		if d := ask("U1ONBOARD", a, []string{"billing-admins"}, false); !d.Allowed() {
			t.Errorf("%s --group with add-to-group refused: %q", a, d.Reason)
		}
		if d := ask("U1ONBOARD", a, []string{"staff", "admins"}, false); d.Allowed() || !strings.Contains(d.Reason, `"admins" is a protected group`) {
			t.Errorf("%s into a protected group = %v %q; want refused", a, d.Verdict, d.Reason)
		}
	}
	if d := ask("U1CREATOR", actions.Create, nil, true); d.Allowed() || !strings.Contains(d.Reason, "`verify`") {
		t.Errorf("create --verified without verify = %v %q", d.Verdict, d.Reason)
	}
	if d := ask("U1ONBOARD", actions.Create, nil, true); !d.Allowed() {
		t.Errorf("create --verified with verify refused: %q", d.Reason)
	}
	// Still held when the step runs.
	if d := p.Decide(who("U1CREATOR"), policy.Request{Stage: policy.Run, Action: actions.Import, Pool: "prod", Job: &policy.Job{Target: true},
		AddGroups: []string{"billing-admins"}}); d.Allowed() {
		t.Error("an import target adding a group ran without add-to-group")
	}
}

// Protected groups guard every change to a member, not only destructive
// ones; reads stay free.
func TestProtectedGroupsGuardEveryChangeToAMember(t *testing.T) {
	changes := []actions.Action{"enable", "edit", "verify", "resend-invite", "confirm-signup", "reset-mfa", "forget-device", "suspend",
		"add-to-group", "remove-from-group", "disable", "delete", "revoke", "reset-password"}
	reads := []actions.Action{"lookup", "history", "devices", "why", "groups"}
	for _, a := range append(changes, reads...) {
		c := &config.Config{
			Roles:           []config.Role{{Name: "admin", Actions: []config.Action{"*"}, Members: []string{"U1REQ"}}},
			ProtectedGroups: []string{"admins"},
		}
		c.ApplyDefaults()
		ask := func(p *policy.Policy) policy.Decision {
			return p.Decide(who("U1REQ"), policy.Request{Stage: policy.Ask, Action: a, Channel: "C1", Pool: "prod", TargetGroups: []string{"admins"}, HasReason: true})
		}
		d := ask(policy.New(c))
		read := !strings.Contains(strings.Join(actionStrings(changes), " "), string(a))
		switch {
		case read && !d.Allowed():
			t.Errorf("reading (%s) a protected member refused: %q", a, d.Reason)
		case !read && (d.Allowed() || !strings.Contains(d.Reason, "approvals: - action: "+string(a))):
			t.Errorf("%s on a protected member without a rule = %v %q; want refused, saying which rule to add", a, d.Verdict, d.Reason)
		}
		if read {
			continue
		}
		c.Approvals = []config.ApprovalRule{{Action: a, Approvers: []string{"U1A"}, Channel: "C1APPROVALS"}}
		if d := ask(policy.New(c)); d.Verdict != policy.Approve {
			t.Errorf("%s on a protected member with a rule = %v; want approval", a, d.Verdict)
		}
	}
}

func actionStrings(as []actions.Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

// export may wait for an approval like a change.
func TestExportMayNeedApproval(t *testing.T) {
	c := &config.Config{
		Roles:     []config.Role{{Name: "admin", Actions: []config.Action{"*"}, Members: []string{"U1REQ"}}},
		Approvals: []config.ApprovalRule{{Action: "export", Approvers: []string{"U1A"}, Channel: "C1APPROVALS", RequireReason: true}},
	}
	c.ApplyDefaults()
	p := policy.New(c)
	d := p.Decide(who("U1REQ"), policy.Request{Stage: policy.Ask, Action: "export", Channel: "C1", Pool: "prod"})
	if d.Verdict != policy.Approve || d.Rule.Channel != "C1APPROVALS" || !d.NeedReason {
		t.Fatalf("export = %v %+v; want approval with a reason", d.Verdict, d)
	}
	if d := p.Decide(who("U1REQ"), policy.Request{Stage: policy.Run, Action: "export", Channel: "C1", Pool: "prod", Execute: true}); d.Allowed() {
		t.Error("an export that was not approved may run")
	}
	requester := who("U1REQ")
	if d := p.Decide(who("U1A"), policy.Request{Stage: policy.Review, Action: "export", Pool: "prod", Requester: &requester}); !d.Allowed() {
		t.Errorf("the export approver refused: %q", d.Reason)
	}
}

// Only the requester confirms, unless confirm.by is role; a bulk job always
// by its requester.
func TestWhoMayConfirm(t *testing.T) {
	for _, by := range []config.ConfirmBy{config.ConfirmByRequester, config.ConfirmByRole} {
		c := &config.Config{Roles: []config.Role{{Name: "admin", Actions: []config.Action{"*"}, Members: []string{"U1REQ", "U1OTHER"}}},
			Confirm: config.Confirm{By: by}}
		c.ApplyDefaults()
		p := policy.New(c)
		requester := who("U1REQ")
		confirm := func(clicker string, job bool) policy.Decision {
			r := policy.Request{Stage: policy.Run, Action: "disable", Channel: "C1", Pool: "prod", Requester: &requester, Confirming: true}
			if job {
				r.Job = &policy.Job{Targets: 2}
			}
			return p.Decide(who(clicker), r)
		}
		if d := confirm("U1REQ", false); !d.Allowed() {
			t.Errorf("by %s: the requester may not confirm: %q", by, d.Reason)
		}
		if d := confirm("U1OTHER", false); d.Allowed() != (by == config.ConfirmByRole) {
			t.Errorf("by %s: another admin confirming = %v %q", by, d.Verdict, d.Reason)
		}
		if d := confirm("U1OTHER", true); d.Allowed() || !strings.Contains(d.Reason, "Only <@U1REQ> can confirm") {
			t.Errorf("by %s: another admin confirming a job = %v %q; want refused", by, d.Verdict, d.Reason)
		}
	}
}

// confirm.by: role lets a colleague press Confirm, but not on a break-glass
// request (the person breaking glass answers for it) nor on a caller-verified
// action (only the agent on the call can tick that the caller confirmed).
func TestOnlyTheRequesterConfirmsBreakGlassAndCallerChecks(t *testing.T) {
	c := &config.Config{Roles: []config.Role{{Name: "admin", Actions: []config.Action{"*"}, Members: []string{"U1REQ", "U1OTHER"}, BreakGlass: true}},
		Confirm:            config.Confirm{By: config.ConfirmByRole},
		CallerVerification: config.CallerVerification{Actions: []config.Action{actions.ResetPassword}},
		Approvals:          []config.ApprovalRule{{Action: "delete", Approvers: []string{"U1LEAD"}, Channel: "C0APPROVALS"}}}
	c.ApplyDefaults()
	p := policy.New(c)
	requester := who("U1REQ")
	for _, tc := range []struct {
		name string
		r    policy.Request
	}{
		{"break-glass delete", policy.Request{Action: "delete", BreakGlass: true, HasReason: true, Execute: true}},
		{"caller-verified reset-password", policy.Request{Action: "reset-password", Execute: true}},
	} {
		r := tc.r
		r.Stage, r.Channel, r.Pool, r.Requester, r.RequesterChannel, r.Confirming = policy.Run, "C1", "prod", &requester, "C1", true
		if d := p.Decide(who("U1REQ"), r); !d.Allowed() {
			t.Errorf("%s: the requester may not confirm: %q", tc.name, d.Reason)
		}
		if d := p.Decide(who("U1OTHER"), r); d.Allowed() || !strings.Contains(d.Reason, "Only <@U1REQ> can confirm") {
			t.Errorf("%s: a colleague confirming under confirm.by role = %v %q; want refused", tc.name, d.Verdict, d.Reason)
		}
	}
}
