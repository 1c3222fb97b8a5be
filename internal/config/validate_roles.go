package config

import (
	"fmt"
	"slices"
	"strings"
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
		c.poolNames(p, key+".pools", r.Pools)
	}
}

// poolNames checks a role's or rule's pool list: every name must be a
// configured pool, since a typo would otherwise silently grant nothing, and
// an explicitly empty list would read as "no pools" but act as "every pool".
func (c *Config) poolNames(p *Problems, key string, names []string) {
	if names != nil && len(names) == 0 {
		p.add(key, "must list at least one pool; leave it out to cover every pool")
	}
	configured := make([]string, 0, len(c.Pools))
	for _, pool := range c.Pools {
		configured = append(configured, pool.Name)
	}
	for j, name := range names {
		switch {
		case !slices.Contains(configured, name):
			p.add(fmt.Sprintf("%s[%d]", key, j), "unknown pool %q (configured: %s)", name, strings.Join(configured, ", "))
		case slices.Index(names, name) < j:
			p.add(fmt.Sprintf("%s[%d]", key, j), "pool %q is listed twice", name)
		}
	}
}

// validateApprovals checks that every rule guards a real action that some
// role can run in the rule's pools, names valid approvers and a channel, and
// is the only rule for its action in each pool: at most one rule without
// pools, and each pool named by at most one rule.
func (c *Config) validateApprovals(p *Problems) {
	seen := map[Action]int{}
	type actionPool struct {
		action Action
		pool   string
	}
	seenPool := map[actionPool]int{}
	for i, r := range c.Approvals {
		key := fmt.Sprintf("approvals[%d]", i)
		switch {
		case r.Action == "":
			p.add(key+".action", "required")
		case !r.Action.Known():
			p.add(key+".action", "unknown action %q (known: %s)", r.Action, knownActionList())
		case !r.Action.Approvable():
			p.add(key+".action", "%s cannot wait for an approval: rules apply to changes to an existing user, bulk jobs and export", r.Action)
		case !c.anyRoleGrants(r.Action, nil):
			p.add(key+".action", "no role may run %s, so this approval rule would never apply", r.Action)
		case !c.anyRoleGrants(r.Action, r.Pools):
			p.add(key+".action", "no role may run %s in %s, so this approval rule would never apply",
				r.Action, plural("pool", r.Pools))
		}
		c.poolNames(p, key+".pools", r.Pools)
		for j, pool := range r.Pools {
			k := actionPool{r.Action, pool}
			if prev, dup := seenPool[k]; dup && prev != i && r.Action != "" {
				p.add(fmt.Sprintf("%s.pools[%d]", key, j), "pool %q already has an approval rule for %s (approvals[%d])",
					pool, r.Action, prev)
			} else if !dup {
				seenPool[k] = i
			}
		}
		// A rule for named pools may sit beside the action's rule for every
		// other pool; two rules for every pool conflict.
		if len(r.Pools) == 0 && r.Action != "" {
			if j, dup := seen[r.Action]; dup {
				p.add(key+".action", "duplicate approval rule for %s (also approvals[%d])", r.Action, j)
			} else {
				seen[r.Action] = i
			}
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
		validateEscalation(p, key, r)
	}
}

// validateEscalation checks escalate_after and escalate_to: both or neither,
// and the escalation before the request expires.
func validateEscalation(p *Problems, key string, r ApprovalRule) {
	switch {
	case r.EscalateAfter == 0 && len(r.EscalateTo) == 0:
		return
	case r.EscalateAfter <= 0:
		p.add(key+".escalate_after", "required with escalate_to: how long a request waits before escalate_to may approve it too (e.g. 30m)")
	case len(r.EscalateTo) == 0:
		p.add(key+".escalate_to", "required with escalate_after: the user or user-group ids who may approve after it")
	case r.Expiry > 0 && r.EscalateAfter >= r.Expiry:
		p.add(key+".escalate_after", "%s is not before the rule's expiry (%s), so it would never apply", r.EscalateAfter.Std(), r.Expiry.Std())
	}
	members(p, key+".escalate_to", r.EscalateTo)
}

// anyRoleGrants reports whether some role lists a or the wildcard and, if
// pools is not empty, covers at least one of them.
func (c *Config) anyRoleGrants(a Action, pools []string) bool {
	for _, r := range c.Roles {
		if !slices.Contains(r.Actions, a) && !slices.Contains(r.Actions, AnyAction) {
			continue
		}
		if len(pools) == 0 || len(r.Pools) == 0 || slices.ContainsFunc(pools, func(p string) bool {
			return slices.Contains(r.Pools, p)
		}) {
			return true
		}
	}
	return false
}

// plural renders "pool prod" or "pools prod, staging".
func plural(noun string, names []string) string {
	if len(names) == 1 {
		return noun + " " + names[0]
	}
	return noun + "s " + strings.Join(names, ", ")
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
