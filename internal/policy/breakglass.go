package policy

import (
	"slices"

	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Sentences of the break-glass rule.
const (
	breakGlassNoReason = "break-glass needs a reason: add --reason \"…\" saying why this cannot wait for an approver"
	breakGlassNoRole   = "none of your roles that allow this may break glass (break_glass: true)"
)

// breakGlass decides a request that needs approval and asks to skip it
// (--break-glass), given d, the roles that allow the action: one of them must
// have break_glass, and a reason must be given. Allowed, the requester
// confirms it themselves and it runs without approval; the bot tells the
// approvers.
func (p *Policy) breakGlass(d Decision, r Request) Decision {
	switch {
	case !r.HasReason:
		return deny(breakGlassNoReason, d.Roles...)
	case !p.breaksGlass(d.Roles):
		return deny(breakGlassNoRole, d.Roles...)
	}
	return Decision{Verdict: Confirm, ConfirmBy: config.ConfirmByRequester, Roles: d.Roles, BreakGlass: true,
		Reason: "break-glass: it runs without approval; the approvers are told"}
}

// breakGlassStill re-checks, when a break-glass request executes, that its
// requester (the actor unless Requester is set) still holds the action
// through a role with break_glass, and gave a reason: then what asking
// decided stands, and the approval it skipped is not asked for again.
func (p *Policy) breakGlassStill(actor Actor, r Request, d Decision) Decision {
	who, channel := actor, r.Channel
	if r.Requester != nil {
		who, channel = *r.Requester, r.RequesterChannel
	}
	rd := p.role(who, r.Action, channel, r.Pool)
	switch {
	case !rd.Allowed():
		return deny("the requester may no longer run "+string(r.Action)+" ("+rd.Reason+")", d.Roles...)
	case !r.HasReason:
		return deny(breakGlassNoReason, d.Roles...)
	case !p.breaksGlass(rd.Roles):
		return deny("the requester may no longer break glass, so this needs approval; please make the request again", d.Roles...)
	}
	d.BreakGlass = true
	return d
}

// breaksGlass reports whether one of the named roles has break_glass.
func (p *Policy) breaksGlass(roles []string) bool {
	return slices.ContainsFunc(p.roles, func(r role) bool { return r.breakGlass && slices.Contains(roles, r.name) })
}
