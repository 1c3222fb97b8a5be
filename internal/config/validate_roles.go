package config

import (
	"fmt"
)

// validateRoles checks role names, action names and Slack ids. A config
// without roles is rejected: default deny would leave a bot that can only
// answer help.
func (c *Config) validateRoles(p *Problems) {
	if len(c.Roles) == 0 {
		p.add("roles", "at least one role is required; without roles everyone is denied")
	}
	seen := map[string]int{}
	for i, r := range c.Roles {
		key := fmt.Sprintf("roles[%d]", i)
		if r.Name == "" {
			p.add(key+".name", "required")
		} else if j, dup := seen[r.Name]; dup {
			p.add(key+".name", "duplicate role name %q (also roles[%d])", r.Name, j)
		} else {
			seen[r.Name] = i
		}
		for j, a := range r.Actions {
			if a != AnyAction && !a.Known() {
				p.add(fmt.Sprintf("%s.actions[%d]", key, j),
					"unknown action %q (known: %s, or * for all)", a, knownActionList())
			}
		}
		members(p, key+".members", r.Members)
		for j, ch := range r.Channels {
			if !channelPattern.MatchString(ch) {
				p.add(fmt.Sprintf("%s.channels[%d]", key, j),
					"%q is not a Slack channel id (C…, G… or D…)", ch)
			}
		}
	}
}

// validateApprovals checks that every rule guards a real action that some
// role can run, names valid approvers and a channel, and is the only rule
// for its action.
func (c *Config) validateApprovals(p *Problems) {
	seen := map[Action]int{}
	for i, r := range c.Approvals {
		key := fmt.Sprintf("approvals[%d]", i)
		switch {
		case r.Action == "":
			p.add(key+".action", "required")
		case !r.Action.Known():
			p.add(key+".action", "unknown action %q (known: %s)", r.Action, knownActionList())
		case !c.anyRoleGrants(r.Action):
			p.add(key+".action", "no role may run %s, so this approval rule would never apply", r.Action)
		}
		if j, dup := seen[r.Action]; dup && r.Action != "" {
			p.add(key+".action", "duplicate approval rule for %s (also approvals[%d])", r.Action, j)
		} else {
			seen[r.Action] = i
		}
		if len(r.Approvers) == 0 {
			p.add(key+".approvers", "at least one approver (user id or user-group id) is required")
		}
		members(p, key+".approvers", r.Approvers)
		switch {
		case r.Channel == "":
			p.add(key+".channel", "required: the channel id (C… or G…) where approval cards are posted")
		case !approvalsPattern.MatchString(r.Channel):
			p.add(key+".channel", "%q is not a Slack channel id (C… or G…)", r.Channel)
		}
		positive(p, key+".expiry", r.Expiry)
	}
}

// anyRoleGrants reports whether some role lists a or the wildcard.
func (c *Config) anyRoleGrants(a Action) bool {
	for _, r := range c.Roles {
		for _, ra := range r.Actions {
			if ra == a || ra == AnyAction {
				return true
			}
		}
	}
	return false
}

// members checks a list of Slack user and user-group ids.
func members(p *Problems, key string, ids []string) {
	for j, id := range ids {
		if !memberPattern.MatchString(id) {
			p.add(fmt.Sprintf("%s[%d]", key, j),
				"%q is not a Slack user id (U… or W…) or user-group id (S…)", id)
		}
	}
}
