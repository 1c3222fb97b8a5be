package policy

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// ApprovalFor returns the approval rule that guards a in the pool named pool,
// and whether there is one: the rule listing that pool, else the action's
// rule without pools. With pool "" (an action about no pool) the rule without
// pools is preferred, but any rule for a counts, so leaving the pool out can
// never skip an approval.
func (p *Policy) ApprovalFor(a actions.Action, pool string) (config.ApprovalRule, bool) {
	var general, first *config.ApprovalRule
	for i := range p.approvals {
		r := &p.approvals[i]
		if r.Action != a {
			continue
		}
		switch {
		case len(r.Pools) == 0:
			general = cmp.Or(general, r)
		case pool != "" && slices.Contains(r.Pools, pool):
			return *r, true
		}
		first = cmp.Or(first, r)
	}
	switch {
	case general != nil:
		return *general, true
	case pool == "" && first != nil:
		return *first, true
	}
	return config.ApprovalRule{}, false
}

// approvalRule is the rule a request must be approved under, and why in
// words. A bulk job of an action with its own rule is approved under that
// rule — by one of its approvers, in its channel — whatever its size, since a
// job never needs less than the same action on one user; a job of any other
// action is approved under the bulk rule when it (together with the
// requester's recent jobs, at Ask) acts on more than bulk.approval_above
// users. At Review a job's rule is the one it was sent under.
func (p *Policy) approvalRule(r Request) (config.ApprovalRule, string, bool) {
	if own, ok := p.ApprovalFor(r.Action, r.Pool); ok {
		return own, string(r.Action) + " needs approval here", true
	}
	if r.Job == nil {
		return config.ApprovalRule{}, "", false
	}
	rule, ok := p.ApprovalFor(actions.Bulk, r.Pool)
	if !ok {
		return config.ApprovalRule{}, "", false
	}
	if r.Stage == Review {
		return rule, "", true
	}
	n := r.Job.Targets + r.Job.Recent
	switch {
	case n <= p.bulkAbove:
		return config.ApprovalRule{}, "", false
	case p.bulkAbove == 0:
		return rule, "every bulk job does here", true
	case r.Job.Targets > p.bulkAbove:
		return rule, fmt.Sprintf("it acts on more than %d users", p.bulkAbove), true
	}
	return rule, fmt.Sprintf("with your other jobs of the last %s it acts on %d users, more than %d", p.bulkWindow, n, p.bulkAbove), true
}

// requireReason reports whether a reason must be given for r: the action's
// require_reason, the rule it is approved under, and for a job also bulk's.
func (p *Policy) requireReason(r Request, rule *config.ApprovalRule) bool {
	if p.reasons[r.Action] || (rule != nil && rule.RequireReason) {
		return true
	}
	if own, ok := p.ApprovalFor(r.Action, r.Pool); ok && own.RequireReason {
		return true
	}
	return r.Job != nil && p.reasons[actions.Bulk]
}

// changesUser reports whether a changes an existing user: what protected
// groups guard. Reads (lookup, history, export …) stay free. Undo has no
// operation in the action table (the bot calls the deletion off itself), but
// it enables the user and puts back the groups they lost: a change, weighed
// on the groups it would put back too (Request.TargetGroups).
func changesUser(a actions.Action) bool {
	s, ok := actions.Get(a)
	return ok && (s.Op != nil || a == actions.Undo)
}

// canWait reports whether a request of a can wait for an approval of what it
// does to one user; create and import (each line is its own creation) cannot.
func canWait(a actions.Action) bool { return a.Approvable() }

// protectedGroup is the protected group r touches, or "": one the target is
// in, for an action that changes the user, or one the request puts users
// into (joining is then true).
func (p *Policy) protectedGroup(r Request) (group string, joining bool) {
	for _, g := range r.AddGroups {
		if slices.Contains(p.protected, g) {
			return g, true
		}
	}
	if changesUser(r.Action) {
		for _, g := range r.TargetGroups {
			if slices.Contains(p.protected, g) {
				return g, false
			}
		}
	}
	return "", false
}

// protectedRefusal is the sentence refusing a change to a protected group's
// member (or adding someone to it) that no rule lets anyone approve.
func protectedRefusal(r Request, group string, joining bool) string {
	where := ""
	if r.Pool != "" {
		where = " in pool " + r.Pool
	}
	what := fmt.Sprintf("This user is in the protected group %q, and every change to its members needs approval", group)
	switch {
	case r.Action == actions.Undo:
		what = fmt.Sprintf("This user is in the protected group %q, or was before the delete and undo would put them back, "+
			"and every change to its members needs approval", group)
	case joining:
		what = fmt.Sprintf("%q is a protected group, and adding someone to it needs approval", group)
	}
	return fmt.Sprintf("%s, but no approval rule covers %s%s. Nothing was done. An administrator can add one to the configuration "+
		"(approvals: - action: %s, with approvers and a channel).", what, r.Action, where, r.Action)
}

// cannotWaitRefusal refuses putting users into a protected group with an
// action that cannot wait for approval (create, import).
func cannotWaitRefusal(a actions.Action, group string) string {
	return fmt.Sprintf("Nothing was done: %q is a protected group, and adding someone to it needs approval, which %s cannot wait for. "+
		"%s the user without it, then add them with `add-to-group`.", group, a, capitalize(string(a)))
}

// jobTargetRefusal is why a job leaves a protected group's member alone:
// they are changed only by their own request, which needs approval.
func jobTargetRefusal(verb, group string, joining bool) string {
	if joining {
		return fmt.Sprintf("%s is a protected group: add them by their own request, which needs approval", group)
	}
	return fmt.Sprintf("in the protected group %s: %s them by their own request, which needs approval", group, verb)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
