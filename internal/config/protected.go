package config

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// ApprovalForUser decides how a on a user who belongs to groups is guarded in
// the pool named pool. It is ApprovalFor, except that a destructive action on
// a member of a protected group always needs approval, whatever the rules
// say: when an approval rule covers a there, it is used; when none does, the
// action cannot be approved by anyone, so refusal explains that and what to
// configure, and the caller must do nothing.
//
// Putting someone into a protected group (add-to-group, args["group"]) counts
// the same: it grants what the group grants.
func (c *Config) ApprovalForUser(a Action, pool string, groups []string, args map[string]string) (rule ApprovalRule, approval bool, refusal string) {
	rule, approval = c.ApprovalFor(a, pool)
	group, joining := c.ProtectedGroupInvolved(a, groups, args)
	if approval || group == "" {
		return rule, approval, ""
	}
	poolText := ""
	if pool != "" {
		poolText = " in pool " + pool
	}
	what := fmt.Sprintf("This user is in the protected group %q, and destructive actions on its members need approval", group)
	if joining {
		what = fmt.Sprintf("%q is a protected group, and adding someone to it needs approval", group)
	}
	return ApprovalRule{}, false, fmt.Sprintf("%s, but no approval rule covers %s%s. Nothing was done. An administrator can add one to the configuration "+
		"(approvals: - action: %s, with approvers and a channel).", what, a, poolText, a)
}

// ProtectedGroupInvolved is the protected group a request touches, or "": one
// the user is in, for a destructive action, or the one add-to-group would put
// them in (joining is then true).
func (c *Config) ProtectedGroupInvolved(a Action, groups []string, args map[string]string) (group string, joining bool) {
	if a == actions.AddToGroup && slices.Contains(c.ProtectedGroups, args["group"]) {
		return args["group"], true
	}
	if a.Destructive() {
		return c.ProtectedGroupOf(groups), false
	}
	return "", false
}

// ProtectedGroupOf returns the first of groups (in order) that is protected,
// or "".
func (c *Config) ProtectedGroupOf(groups []string) string {
	for _, g := range groups {
		if slices.Contains(c.ProtectedGroups, g) {
			return g
		}
	}
	return ""
}

// validateProtectedGroups checks the names: Cognito group names are 1-128
// characters without leading or trailing spaces; a name twice is a typo.
func (c *Config) validateProtectedGroups(p *Problems) {
	for i, g := range c.ProtectedGroups {
		key := fmt.Sprintf("protected_groups[%d]", i)
		switch {
		case strings.TrimSpace(g) == "":
			p.add(key, "must be a Cognito group name, not empty")
		case strings.TrimSpace(g) != g:
			p.add(key, "%q has leading or trailing spaces; Cognito group names are matched exactly", g)
		case utf8.RuneCountInString(g) > 128:
			p.add(key, "is longer than 128 characters, the most a Cognito group name has")
		case slices.Index(c.ProtectedGroups, g) < i:
			p.add(key, "%q is listed twice", g)
		}
	}
}
