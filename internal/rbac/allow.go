package rbac

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Allow decides whether actor may run action in channel. It allows when a
// role the actor belongs to (directly or through a user group) grants the
// action and is usable in the channel. help is allowed for everyone, since
// it only lists what the caller may do. Everything else is denied, including
// when a user group that might grant the action cannot be resolved.
func (p *Policy) Allow(ctx context.Context, actor Actor, action config.Action, channel string) Decision {
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
	failed := ""
	for i := range p.roles {
		r := &p.roles[i]
		if !r.grants(action) {
			continue
		}
		ok, f := res.member(r.members, actor.UserID)
		if !ok {
			failed = firstNonEmpty(failed, f)
			continue
		}
		if r.usableIn(channel) {
			allowed = append(allowed, r)
		} else {
			blocked = append(blocked, r)
		}
	}
	switch {
	case len(allowed) > 0:
		names := namesOf(allowed)
		return Decision{Allowed: true, Reason: "allowed by " + plural("role", names), Roles: names}
	case failed != "":
		return deny(fmt.Sprintf("could not resolve Slack user group %s; try again", failed))
	case len(blocked) > 0:
		reasons := make([]string, len(blocked))
		for i, r := range blocked {
			reasons[i] = fmt.Sprintf("%s can only run commands in %s", r.name, channelList(r.channels))
		}
		return Decision{Reason: strings.Join(reasons, "; "), Roles: namesOf(blocked)}
	}
	if held := res.roleNames(p.roles, actor.UserID); len(held) > 0 {
		return Decision{Reason: fmt.Sprintf("your role does not allow %s", action), Roles: held}
	}
	return deny(fmt.Sprintf("you have no role that allows %s; ask a cognito-bot admin for access", action))
}

// AllowedActions lists the actions actor may run in channel, in
// config.AllActions order, for generated help and for deciding which
// buttons to render. It agrees with Allow: roles whose groups cannot be
// resolved contribute nothing.
func (p *Policy) AllowedActions(ctx context.Context, actor Actor, channel string) []config.Action {
	if ok, _ := p.admits(actor); !ok {
		return nil
	}
	res := p.resolution(ctx)
	var usable []*role
	for i := range p.roles {
		r := &p.roles[i]
		if r.usableIn(channel) {
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

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
