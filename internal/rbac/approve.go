package rbac

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cognito-bot/cognito-bot/internal/config"
)

// CanApprove decides whether actor is an approver for action in the pool
// named pool, under the approval rule that guards it there
// (config.ApprovalFor), directly or through a user group. It does not know
// who asked for the action; use CanApproveRequest to also refuse
// self-approval.
func (p *Policy) CanApprove(ctx context.Context, actor Actor, action config.Action, pool string) Decision {
	if ok, why := p.admits(actor); !ok {
		return deny(why)
	}
	where := ""
	if pool != "" {
		where = " in pool " + pool
	}
	rule, ok := p.approvals.ApprovalFor(action, pool)
	if !ok {
		return deny(fmt.Sprintf("%s does not need approval%s", action, where))
	}
	member, failed := p.resolution(ctx).member(newPrincipals(rule.Approvers), actor.UserID)
	switch {
	case member:
		return Decision{Allowed: true, Reason: fmt.Sprintf("you are an approver for %s%s", action, where)}
	case failed != "":
		return deny(groupsUnknown)
	}
	return deny(fmt.Sprintf("you are not an approver for %s%s", action, where))
}

// CanApproveRequest is CanApprove plus the four-eyes rule: nobody approves
// their own request. The same user id counts as the same person even when
// the team ids differ, because an Enterprise Grid user keeps one W… id
// across workspaces and must not approve from a second one.
func (p *Policy) CanApproveRequest(ctx context.Context, approver, requester Actor, action config.Action, pool string) Decision {
	if approver.UserID != "" && approver.UserID == requester.UserID {
		return deny("you cannot approve your own request")
	}
	return p.CanApprove(ctx, approver, action, pool)
}

// resolution memoises group lookups for one decision, so a group listed in
// several roles is fetched once and every role sees the same answer.
type resolution struct {
	ctx     context.Context
	groups  GroupResolver
	members map[string][]string
	errs    map[string]bool
}

func (p *Policy) resolution(ctx context.Context) *resolution {
	return &resolution{ctx: ctx, groups: p.groups, members: map[string][]string{}, errs: map[string]bool{}}
}

// member reports whether userID is one of ps, directly or through a group.
// If not, failed names the first group that could not be resolved, since
// the user might have been in it.
func (r *resolution) member(ps principals, userID string) (ok bool, failed string) {
	if ps.users[userID] {
		return true, ""
	}
	for _, g := range ps.groups {
		ids, err := r.group(g)
		if err != nil {
			failed = cmp.Or(failed, g)
			continue
		}
		if slices.Contains(ids, userID) {
			return true, ""
		}
	}
	return false, failed
}

func (r *resolution) group(id string) ([]string, error) {
	if ids, ok := r.members[id]; ok {
		return ids, nil
	}
	if r.errs[id] {
		return nil, errUnresolved
	}
	if r.groups == nil {
		r.errs[id] = true
		return nil, errUnresolved
	}
	ids, err := r.groups.Members(r.ctx, id)
	if err != nil {
		r.errs[id] = true
		return nil, err
	}
	r.members[id] = ids
	return ids, nil
}

// roleNames lists the roles userID belongs to, ignoring groups that cannot
// be resolved; it only feeds messages, never a grant.
func (r *resolution) roleNames(roles []role, userID string) []string {
	var names []string
	for i := range roles {
		if ok, _ := r.member(roles[i].members, userID); ok {
			names = append(names, roles[i].name)
		}
	}
	return names
}
