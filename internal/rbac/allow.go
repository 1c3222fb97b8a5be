package rbac

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Allow decides whether actor may run action in channel on the pool named
// pool ("" for an action about no pool, such as help, pools or audit
// --actor; pool limits do not apply to those). It allows when a role the
// actor belongs to (directly or through a user group) grants the action, is
// usable in the channel and covers the pool. help is allowed for everyone,
// since it only lists what the caller may do. Everything else is denied,
// including when a user group that might grant the action cannot be
// resolved.
func (p *Policy) Allow(ctx context.Context, actor Actor, action config.Action, channel, pool string) Decision {
	if ok, why := p.admits(actor); !ok {
		return deny(why)
	}
	res := p.resolution(ctx)
	if action == config.ActionHelp {
		return Decision{Allowed: true, Reason: "everyone may run help", Roles: res.roleNames(p.roles, actor.UserID)}
	}
	if !action.Known() {
		return deny(fmt.Sprintf("unknown action %q", action))
	}
	var allowed, blocked []*role
	var reasons []string
	failed := false
	for i := range p.roles {
		r := &p.roles[i]
		if !r.grants(action) {
			continue
		}
		ok, f := res.member(r.members, actor.UserID)
		if !ok {
			failed = failed || f != ""
			continue
		}
		switch {
		case !r.covers(pool):
			blocked = append(blocked, r)
			reasons = append(reasons, fmt.Sprintf("your role %s only covers pools %s", r.name, strings.Join(r.pools, ", ")))
		case !r.usableIn(channel):
			blocked = append(blocked, r)
			reasons = append(reasons, fmt.Sprintf("%s can only run commands in %s", r.name, channelList(r.channels)))
		default:
			allowed = append(allowed, r)
		}
	}
	switch {
	case len(allowed) > 0:
		names := namesOf(allowed)
		return Decision{Allowed: true, Reason: "allowed by " + plural("role", names), Roles: names}
	case failed:
		return deny(groupsUnknown)
	case len(blocked) > 0:
		return Decision{Reason: strings.Join(reasons, "; "), Roles: namesOf(blocked)}
	}
	if held := res.roleNames(p.roles, actor.UserID); len(held) > 0 {
		return Decision{Reason: fmt.Sprintf("your role does not allow %s", action), Roles: held}
	}
	return deny(fmt.Sprintf("you have no role that allows %s; ask a cognito-bot admin for access", action))
}

// AllowedActions lists the actions actor may run in channel on the pool
// named pool ("" ignores pool limits, e.g. for help, which lists what the
// caller may run somewhere), in config.AllActions order, for generated help
// and for deciding which buttons to render. It agrees with Allow: roles
// whose groups cannot be resolved contribute nothing.
func (p *Policy) AllowedActions(ctx context.Context, actor Actor, channel, pool string) []config.Action {
	if ok, _ := p.admits(actor); !ok {
		return nil
	}
	res := p.resolution(ctx)
	var usable []*role
	for i := range p.roles {
		r := &p.roles[i]
		if r.usableIn(channel) && r.covers(pool) {
			if ok, _ := res.member(r.members, actor.UserID); ok {
				usable = append(usable, r)
			}
		}
	}
	out := []config.Action{config.ActionHelp}
	for _, a := range config.AllActions {
		if a == config.ActionHelp {
			continue
		}
		if slices.ContainsFunc(usable, func(r *role) bool { return r.grants(a) }) {
			out = append(out, a)
		}
	}
	return out
}

// groupsUnknown is the denial when a user group that might grant the action
// could not be checked; which group, and why, goes to the log, since the
// user can do nothing about it but wait.
const groupsUnknown = "could not check your Slack user group membership; try again shortly"

func deny(reason string) Decision { return Decision{Reason: reason} }

func namesOf(rs []*role) []string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.name
	}
	return names
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
