package policy_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// undoConfig has a desk role that may undo, an admin role with every action
// (able to break glass), admins as a protected group, and delete under
// approval, the way a protected member's deletion was approved; rules adds
// more approval rules.
func undoConfig(rules ...config.ApprovalRule) *policy.Policy {
	c := &config.Config{
		Roles: []config.Role{
			{Name: "desk", Actions: []config.Action{actions.Undo}, Members: []string{"U1DESK"}},
			{Name: "admin", Actions: []config.Action{"*"}, Members: []string{"U1ADMIN"}, BreakGlass: true},
		},
		ProtectedGroups: []string{"admins"},
		Approvals:       append([]config.ApprovalRule{{Action: actions.Delete, Approvers: []string{"U1A"}, Channel: "C1DELETE"}}, rules...),
	}
	c.ApplyDefaults()
	return policy.New(c)
}

func askUndo(p *policy.Policy, user string, groups ...string) policy.Decision {
	return p.Decide(who(user), policy.Request{Stage: policy.Ask, Action: actions.Undo, Channel: "C1", Pool: "prod",
		TargetGroups: groups, HasReason: true})
}

// Undo enables the user and puts back their groups: a change, which protected
// groups guard like any other. Asked with the groups the undo would put back
// (the deletion snapshot's) as well as the user's own, it is refused to every
// role when no rule covers undo — the deletion's approval under delete's rule
// does not count — saying which rule to add; a user in no protected group is
// undone at once, as before.
func TestUndoOfAProtectedMemberNeedsItsOwnApproval(t *testing.T) {
	t.Parallel()
	p := undoConfig()
	for _, user := range []string{"U1DESK", "U1ADMIN"} {
		d := askUndo(p, user, "staff", "admins")
		if d.Allowed() || !strings.Contains(d.Reason, `protected group "admins"`) || !strings.Contains(d.Reason, "approvals: - action: undo") {
			t.Errorf("%s: undo of a protected member, no undo rule = %v %q; want refused, saying which rule to add", user, d.Verdict, d.Reason)
		}
		d = p.Decide(who(user), policy.Request{Stage: policy.Run, Action: actions.Undo, Channel: "C1", Pool: "prod",
			TargetGroups: []string{"admins"}, Execute: true})
		if d.Allowed() {
			t.Errorf("%s: running an unapproved undo on a protected member = allowed; want refused", user)
		}
		if d := askUndo(p, user, "staff"); d.Verdict != policy.Allow {
			t.Errorf("%s: undo of a user in no protected group = %v %q; want allowed at once", user, d.Verdict, d.Reason)
		}
		d = p.Decide(who(user), policy.Request{Stage: policy.Run, Action: actions.Undo, Channel: "C1", Pool: "prod",
			TargetGroups: []string{"staff"}, Execute: true})
		if !d.Allowed() {
			t.Errorf("%s: running the undo of a user in no protected group = %q; want allowed", user, d.Reason)
		}
	}
	bg := p.Decide(who("U1ADMIN"), policy.Request{Stage: policy.Ask, Action: actions.Undo, Channel: "C1", Pool: "prod",
		TargetGroups: []string{"admins"}, HasReason: true, BreakGlass: true})
	if bg.Allowed() {
		t.Errorf("break-glass skipped a rule that does not exist: %v %q", bg.Verdict, bg.Reason)
	}
}

// With a rule for undo, the undo of a protected member waits for one of its
// approvers, whoever asks; once approved it runs, and an approver of delete
// may not approve it.
func TestUndoOfAProtectedMemberIsApprovedUnderTheUndoRule(t *testing.T) {
	t.Parallel()
	p := undoConfig(config.ApprovalRule{Action: actions.Undo, Approvers: []string{"U1UNDO"}, Channel: "C1UNDO"})
	for _, user := range []string{"U1DESK", "U1ADMIN"} {
		d := askUndo(p, user, "admins")
		if d.Verdict != policy.Approve || d.Rule.Channel != "C1UNDO" || !strings.Contains(d.Reason, "admins") {
			t.Errorf("%s: undo of a protected member with an undo rule = %v under %q (%q); want approval under undo's rule",
				user, d.Verdict, d.Rule.Channel, d.Reason)
		}
		d = p.Decide(who(user), policy.Request{Stage: policy.Run, Action: actions.Undo, Channel: "C1", Pool: "prod",
			TargetGroups: []string{"admins"}, Execute: true, Approved: true})
		if !d.Allowed() {
			t.Errorf("%s: the approved undo of a protected member = %q; want allowed", user, d.Reason)
		}
	}
	requester := who("U1DESK")
	review := func(approver string) policy.Decision {
		return p.Decide(who(approver), policy.Request{Stage: policy.Review, Action: actions.Undo, Pool: "prod", Requester: &requester})
	}
	if d := review("U1UNDO"); !d.Allowed() {
		t.Errorf("undo's approver may not approve it: %q", d.Reason)
	}
	if d := review("U1A"); d.Allowed() {
		t.Error("delete's approver may approve an undo")
	}
}
