package policy

import (
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// groupsUnknown is the denial when a user group that might grant the action
// could not be checked; which group, and why, goes to the log, since the
// user can do nothing about it but wait.
const groupsUnknown = "could not check your Slack user group membership; try again shortly"

// role decides whether a role the actor holds grants action in channel on
// pool. help is allowed for everyone, since it only lists what the caller
// may do.
func (p *Policy) role(actor Actor, action actions.Action, channel, pool string) Decision {
	if action == actions.Help {
		return Decision{Verdict: Allow, Reason: "everyone may run help", Roles: p.roleNames(actor)}
	}
	if !action.Known() {
		return deny(fmt.Sprintf("unknown action %q", action))
	}
	var allowed, blocked, reasons []string
	unknown := false
	for i := range p.roles {
		r := &p.roles[i]
		if !r.grants(action) {
			continue
		}
		ok, u := actor.member(r.members)
		if !ok {
			unknown = unknown || u
			continue
		}
		switch {
		case !r.covers(pool):
			blocked = append(blocked, r.name)
			reasons = append(reasons, fmt.Sprintf("your role %s only covers pools %s", r.name, strings.Join(r.pools, ", ")))
		case !r.usableIn(channel):
			blocked = append(blocked, r.name)
			reasons = append(reasons, fmt.Sprintf("%s can only run commands in %s", r.name, channelList(r.channels)))
		default:
			allowed = append(allowed, r.name)
		}
	}
	switch {
	case len(allowed) > 0:
		return Decision{Verdict: Allow, Reason: "allowed by " + plural("role", allowed), Roles: allowed}
	case unknown:
		return deny(groupsUnknown)
	case len(blocked) > 0:
		return deny(strings.Join(reasons, "; "), blocked...)
	}
	if held := p.roleNames(actor); len(held) > 0 {
		return deny(fmt.Sprintf("your role does not allow %s", action), held...)
	}
	return deny(fmt.Sprintf("you have no role that allows %s; ask a cognito-bot admin for access", action))
}

// roleNames lists the roles the actor belongs to; it only feeds messages,
// never a grant.
func (p *Policy) roleNames(actor Actor) []string {
	var names []string
	for i := range p.roles {
		if ok, _ := actor.member(p.roles[i].members); ok {
			names = append(names, p.roles[i].name)
		}
	}
	return names
}

// Actions lists the actions Decide would let actor run in channel on the pool
// named pool ("" ignores pool limits, e.g. for help, which lists what the
// caller may run somewhere), in the action table's order, for generated help
// and for deciding which buttons to render.
func (p *Policy) Actions(actor Actor, channel, pool string) []actions.Action {
	if ok, _ := p.admits(actor.Identity); !ok {
		return nil
	}
	var out []actions.Action
	for _, a := range actions.Names() {
		if p.Decide(actor, Request{Stage: Run, Action: a, Channel: channel, Pool: pool}).Allowed() {
			out = append(out, a)
		}
	}
	return out
}

// plural renders "role support" or "roles support, admins".
func plural(noun string, names []string) string {
	if len(names) == 1 {
		return noun + " " + names[0]
	}
	return noun + "s " + strings.Join(names, ", ")
}

// channelList renders channel ids as Slack mentions: "<#C1> or <#C2>".
func channelList(ids []string) string {
	ms := make([]string, len(ids))
	for i, id := range ids {
		ms[i] = "<#" + id + ">"
	}
	return strings.Join(ms, " or ")
}
