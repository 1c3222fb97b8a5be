package policy_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// undoWorld has a desk role that may undo, an admin role with every action,
// and admins as a protected group.
func undoWorld() *policy.Policy {
	c := &config.Config{
		Roles: []config.Role{
			{Name: "desk", Actions: []config.Action{actions.Undo}, Members: []string{"U1DESK"}},
			{Name: "admin", Actions: []config.Action{"*"}, Members: []string{"U1ADMIN"}},
		},
		ProtectedGroups: []string{"admins"},
	}
	c.ApplyDefaults()
	return policy.New(c)
}

// Undo enables the user and puts back their groups: a change, which protected
// groups guard like any other. Asked with the groups the undo would put back
// (the deletion snapshot's) as well as the user's own, it is refused to every
// role — no approval rule can cover undo — with a sentence saying what to do
// instead; a user in no protected group is undone as before.
func TestUndoOfAProtectedMemberIsRefused(t *testing.T) {
	t.Parallel()
	p := undoWorld()
	for _, user := range []string{"U1DESK", "U1ADMIN"} {
		for _, stage := range []policy.Stage{policy.Ask, policy.Run} {
			d := p.Decide(who(user), policy.Request{Stage: stage, Action: actions.Undo, Channel: "C1", Pool: "prod",
				TargetGroups: []string{"staff", "admins"}, Execute: stage == policy.Run})
			if d.Allowed() || !strings.Contains(d.Reason, `protected group "admins"`) || !strings.Contains(d.Reason, "Nothing was done") ||
				!strings.Contains(d.Reason, "`enable`") || strings.Contains(d.Reason, "approvals: - action: undo") {
				t.Errorf("%s: undo of a protected member at stage %d = %v %q; want refused, pointing at an approved enable", user, stage, d.Verdict, d.Reason)
			}
		}
		d := p.Decide(who(user), policy.Request{Stage: policy.Ask, Action: actions.Undo, Channel: "C1", Pool: "prod", TargetGroups: []string{"staff"}})
		if d.Verdict != policy.Allow {
			t.Errorf("%s: undo of a user in no protected group = %v %q; want allowed", user, d.Verdict, d.Reason)
		}
		d = p.Decide(who(user), policy.Request{Stage: policy.Run, Action: actions.Undo, Channel: "C1", Pool: "prod", TargetGroups: []string{"staff"}, Execute: true})
		if !d.Allowed() {
			t.Errorf("%s: running the undo of a user in no protected group = %q; want allowed", user, d.Reason)
		}
	}
}

// The deletion's approval is not the undo's: with delete under approval (the
// way a protected member's deletion was approved), undoing it is still
// refused, never sent for approval under delete's rule. No rule can name undo.
func TestUndoIsNotApprovedUnderTheDeletionsRule(t *testing.T) {
	t.Parallel()
	if actions.Undo.Approvable() {
		t.Fatal("undo became approvable: the undo path must then ask for approval of a protected member's undo instead of refusing it")
	}
	c := &config.Config{
		Roles:           []config.Role{{Name: "admin", Actions: []config.Action{"*"}, Members: []string{"U1ADMIN"}, BreakGlass: true}},
		ProtectedGroups: []string{"admins"},
		Approvals:       []config.ApprovalRule{{Action: actions.Delete, Approvers: []string{"U1A"}, Channel: "C1APPROVALS"}},
	}
	c.ApplyDefaults()
	p := policy.New(c)
	d := p.Decide(who("U1ADMIN"), policy.Request{Stage: policy.Ask, Action: actions.Undo, Channel: "C1", Pool: "prod",
		TargetGroups: []string{"admins"}, HasReason: true, BreakGlass: true})
	if d.Allowed() || !strings.Contains(d.Reason, "protected group") {
		t.Errorf("undo of a protected member with a delete rule and break-glass = %v %q; want refused", d.Verdict, d.Reason)
	}
}
