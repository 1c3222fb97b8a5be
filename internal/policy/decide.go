package policy

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Decide is the one authorization decision. Every path asks it: a command, a
// click, a form, each bulk job and each of its targets, create and import
// (their groups), an approval, and the re-check when a request executes.
func (p *Policy) Decide(actor Actor, r Request) Decision {
	if ok, why := p.admits(actor.Identity); !ok {
		return deny(why)
	}
	switch r.Stage {
	case Review:
		return p.approve(actor, r)
	case Run:
		return p.run(actor, r)
	}
	return p.ask(actor, r)
}

// may is what both asking and running need: a role granting the action here
// (and bulk, for a job), and the permissions of what the request adds: verify
// for --verified, add-to-group for the groups it puts users into.
func (p *Policy) may(actor Actor, r Request) Decision {
	d := p.role(actor, r.Action, r.Channel, r.Pool)
	if !d.Allowed() || r.Action == actions.Help {
		return d
	}
	if r.Job != nil && r.Action != actions.Bulk {
		if b := p.role(actor, actions.Bulk, r.Channel, r.Pool); !b.Allowed() {
			return b
		}
		if p.callerChecked[r.Action] {
			// A job never needs less than the same action on one user.
			return deny(fmt.Sprintf("%s needs each caller verified on its own confirm prompt, so it cannot run as a bulk job; "+
				"run it one user at a time", r.Action), d.Roles...)
		}
	}
	if r.Verified && r.Action != actions.Verify {
		if v := p.role(actor, actions.Verify, r.Channel, r.Pool); !v.Allowed() {
			return deny("`--verified` marks the email or phone verified, which needs the `verify` action, and your role here does not have it", d.Roles...)
		}
	}
	if len(r.AddGroups) > 0 && r.Action != actions.AddToGroup {
		if g := p.role(actor, actions.AddToGroup, r.Channel, r.Pool); !g.Allowed() {
			return deny(fmt.Sprintf("putting users into %s needs the `add-to-group` action, and your role here does not have it",
				groupList(r.AddGroups)), d.Roles...)
		}
	}
	return d
}

// ask decides what must happen before a request runs.
func (p *Policy) ask(actor Actor, r Request) Decision {
	d := p.may(actor, r)
	if !d.Allowed() || r.Action == actions.Help {
		return d
	}
	out := Decision{Verdict: Allow, Roles: d.Roles, Reason: d.Reason}
	group, joining := p.protectedGroup(r)
	if group != "" && joining && !canWait(r.Action) {
		return deny(cannotWaitRefusal(r.Action, group), d.Roles...)
	}
	rule, why, needs := p.approvalRule(r)
	spec, _ := actions.Get(r.Action)
	switch {
	case needs && r.BreakGlass:
		bg := p.breakGlass(d, r)
		bg.CallerCheck = bg.Allowed() && p.callerCheck(r)
		return bg
	case needs:
		out.Verdict, out.Rule, out.Reason = Approve, rule, why
		if group != "" && r.Job == nil {
			out.Reason = "the user is in the protected group " + group
		}
	case group != "" && r.Job == nil:
		return deny(protectedRefusal(r, group, joining), d.Roles...)
	case r.Job != nil:
		out.Verdict, out.ConfirmBy = Confirm, config.ConfirmByRequester
	case spec.Destructive:
		out.Verdict, out.ConfirmBy = Confirm, p.confirmBy
	}
	var used *config.ApprovalRule
	if needs {
		used = &rule
	}
	out.NeedReason = !r.HasReason && p.requireReason(r, used)
	out.CallerCheck = out.Verdict != Allow && p.callerCheck(r)
	return out
}

// callerCheck says a single request of r's action is confirmed only with the
// caller verified (caller_verification); a job of it is refused in may.
func (p *Policy) callerCheck(r Request) bool { return r.Job == nil && p.callerChecked[r.Action] }

// run decides whether a step may run now for the actor and, when it carries
// out someone else's request, for its requester too. confirm.by: role lets a
// colleague press Confirm, except on a job, a break-glass request (the
// person breaking glass answers for it) and a caller-verified action (only
// the agent on the call can tick that the caller confirmed the facts). With Execute it also
// re-checks, on the target as it is now, what asking decided: an unapproved
// request must not have come to need approval, and a job leaves protected
// groups' members alone.
func (p *Policy) run(actor Actor, r Request) Decision {
	d := p.may(actor, r)
	if !d.Allowed() || r.Action == actions.Help {
		return d
	}
	if rq := r.Requester; r.Confirming && rq != nil && !sameIdentity(rq.Identity, actor.Identity) &&
		(r.Job != nil || r.BreakGlass || p.callerChecked[r.Action] || p.confirmBy != config.ConfirmByRole) {
		return deny("Only <@" + rq.UserID + "> can confirm this request")
	}
	if rq := r.Requester; rq != nil && rq.UserID != actor.UserID {
		on := r
		on.Requester, on.Channel = nil, r.RequesterChannel
		if ok, why := p.admits(rq.Identity); !ok {
			return deny("the requester may no longer run " + string(r.Action) + " (" + why + ")")
		}
		if rd := p.may(*rq, on); !rd.Allowed() {
			return deny("the requester may no longer run " + string(r.Action) + " (" + rd.Reason + ")")
		}
	}
	if r.Execute && r.BreakGlass && r.Job == nil && !r.Approved {
		return p.breakGlassStill(actor, r, d)
	}
	if r.Execute {
		if why := p.onTarget(r); why != "" {
			return deny(why, d.Roles...)
		}
	}
	return d
}

// onTarget is why a request may not be carried out on the target as it is
// now, or "". A job never changes a protected group's member (approved or
// not: each needs their own request, which needs approval), and a job that
// was not approved cannot act once its action needs approval. A single
// request that was not approved must not have come to need approval.
func (p *Policy) onTarget(r Request) string {
	group, joining := p.protectedGroup(r)
	spec, _ := actions.Get(r.Action)
	if r.Job != nil {
		if group != "" && canWait(r.Action) {
			return jobTargetRefusal(spec.Verb, group, joining)
		}
		if group != "" {
			return cannotWaitRefusal(r.Action, group)
		}
		if _, own := p.ApprovalFor(r.Action, r.Pool); own && !r.Approved {
			return fmt.Sprintf("%s needs approval here, and this job was not approved", r.Action)
		}
		return ""
	}
	if r.Approved {
		return ""
	}
	if group != "" {
		return "the user is now in a protected group, so this needs approval; please make the request again"
	}
	if _, ok := p.ApprovalFor(r.Action, r.Pool); ok {
		return string(r.Action) + " now needs approval. Please make the request again."
	}
	return ""
}

// approve decides whether actor may approve (or reject) the Requester's
// request: an approver of the rule that guards it, never the requester. The
// same user id counts as the same person even when the team ids differ,
// because an Enterprise Grid user keeps one W… id across workspaces.
func (p *Policy) approve(actor Actor, r Request) Decision {
	if r.Requester != nil && r.Requester.UserID == actor.UserID {
		return deny("you cannot approve your own request")
	}
	what := string(r.Action)
	if r.Job != nil && r.Action != actions.Bulk {
		what = "bulk " + what
	}
	if r.Pool != "" {
		what += " in pool " + r.Pool
	}
	rule, _, ok := p.approvalRule(r)
	if !ok {
		return deny(what + " does not need approval")
	}
	member, unknown := actor.member(newPrincipals(rule.Approvers))
	if !member && r.Escalated && rule.EscalateAfter > 0 {
		// Waiting past escalate_after: escalate_to may approve it too.
		var unknownToo bool
		member, unknownToo = actor.member(newPrincipals(rule.EscalateTo))
		unknown = unknown || unknownToo
	}
	switch {
	case member:
		return Decision{Verdict: Allow, Reason: "you are an approver for " + what}
	case unknown:
		return deny(groupsUnknown)
	}
	return deny("you are not an approver for " + what)
}

// groupList renders group names for a sentence: "group \"a\"" or "groups \"a\", \"b\"".
func groupList(groups []string) string {
	q := make([]string, len(groups))
	for i, g := range groups {
		q[i] = fmt.Sprintf("%q", g)
	}
	if len(q) == 1 {
		return "group " + q[0]
	}
	return "groups " + strings.Join(q, ", ")
}

// sameIdentity compares people as the bot does everywhere: the user id and
// their organisation (a Grid user is one person across its workspaces), else
// their workspace.
func sameIdentity(a, b Identity) bool {
	return a.UserID == b.UserID && cmp.Or(a.EnterpriseID, a.TeamID) == cmp.Or(b.EnterpriseID, b.TeamID)
}
