package config

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func TestApprovalForUserProtectsGroupMembers(t *testing.T) {
	c := &Config{
		ProtectedGroups: []string{"admins", "finance"},
		Approvals:       []ApprovalRule{{Action: ActionDelete, Approvers: []string{"U1"}, Channel: "C1"}},
	}
	for _, tc := range []struct {
		name     string
		action   Action
		groups   []string
		approval bool
		refused  bool
	}{
		{"unprotected user, rule applies as usual", ActionDelete, []string{"staff"}, true, false},
		{"unprotected user, no rule: confirm only", ActionDisable, []string{"staff"}, false, false},
		{"protected user, rule exists: approval", ActionDelete, []string{"staff", "finance"}, true, false},
		{"protected user, no rule: refused", ActionDisable, []string{"admins"}, false, true},
		{"protected user, non-destructive: untouched", ActionEnable, []string{"admins"}, false, false},
		{"group names are case-sensitive", ActionDisable, []string{"Admins"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, approval, refusal := c.ApprovalForUser(tc.action, "prod", tc.groups, nil)
			if approval != tc.approval || (refusal != "") != tc.refused {
				t.Fatalf("approval %v refusal %q; want approval %v refused %v", approval, refusal, tc.approval, tc.refused)
			}
			if tc.refused && (!strings.Contains(refusal, `"admins"`) || !strings.Contains(refusal, "action: disable") || !strings.Contains(refusal, "pool prod")) {
				t.Errorf("the refusal should name the group, the action to configure and the pool: %q", refusal)
			}
		})
	}
}

func TestProtectedGroupsValidation(t *testing.T) {
	c := &Config{ProtectedGroups: []string{"admins", "", " ops", "admins", strings.Repeat("g", 129)}}
	var p Problems
	c.validateProtectedGroups(&p)
	got := p.Err().Error()
	for _, want := range []string{"protected_groups[1]", "protected_groups[2]", "protected_groups[3]", "protected_groups[4]"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "protected_groups[0]") {
		t.Errorf("a good name was refused:\n%s", got)
	}
}

// Putting someone into a protected group grants what the group grants: it needs
// approval like a destructive action on a member.
func TestJoiningAProtectedGroupNeedsApproval(t *testing.T) {
	c := &Config{ProtectedGroups: []string{"admins"}}
	if _, approval, refusal := c.ApprovalForUser(actions.AddToGroup, "prod", nil, map[string]string{"group": "admins"}); approval || !strings.Contains(refusal, "adding someone to it needs approval") {
		t.Errorf("add-to-group admins: approval %v, refusal %q; want a refusal naming the rule to add", approval, refusal)
	}
	if _, _, refusal := c.ApprovalForUser(actions.AddToGroup, "prod", nil, map[string]string{"group": "staff"}); refusal != "" {
		t.Errorf("add-to-group staff (not protected) refused: %q", refusal)
	}
	c.Approvals = []ApprovalRule{{Action: actions.AddToGroup, Approvers: []string{"U1"}, Channel: "C1"}}
	if _, approval, refusal := c.ApprovalForUser(actions.AddToGroup, "prod", nil, map[string]string{"group": "admins"}); !approval || refusal != "" {
		t.Errorf("with a rule: approval %v, refusal %q; want approval", approval, refusal)
	}
}
