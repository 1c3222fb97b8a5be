// Package rbac is the I/O side of authorization: it looks up the Slack user
// groups the configuration names (through a GroupResolver, cached) and hands
// the answer, with the request, to the pure decision in package policy. It
// decides nothing itself; a group it cannot look up is left unknown, and the
// policy denies whatever depended on it (fail closed).
package rbac

import (
	"context"
	"slices"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// GroupResolver returns the Slack user ids in a user group (S…). The bot
// passes a CachedGroups wrapping Slack's usergroups.users.list.
type GroupResolver interface {
	Members(ctx context.Context, groupID string) ([]string, error)
}

// Policy asks the policy with the actor's user groups looked up. It is safe
// for concurrent use.
type Policy struct {
	decide *policy.Policy
	groups GroupResolver
}

// New compiles cfg into a policy (see policy.New and its options, such as
// policy.WithTeams) whose user groups groups resolves; with a nil groups,
// group members are never matched (only direct user ids are).
func New(cfg *config.Config, groups GroupResolver, opts ...policy.Option) *Policy {
	return &Policy{decide: policy.New(cfg, opts...), groups: groups}
}

// Decide looks up the user groups of actor and of r.Requester (unless their
// In is already filled) and returns policy.Decide's answer.
func (p *Policy) Decide(ctx context.Context, actor policy.Actor, r policy.Request) policy.Decision {
	actor = p.Resolve(ctx, actor)
	if r.Requester != nil {
		rq := p.Resolve(ctx, *r.Requester)
		r.Requester = &rq
	}
	return p.decide.Decide(actor, r)
}

// Actions lists the actions actor may run in channel on the pool named pool
// (see policy.Policy.Actions), for help and card buttons.
func (p *Policy) Actions(ctx context.Context, actor policy.Actor, channel, pool string) []actions.Action {
	return p.decide.Actions(p.Resolve(ctx, actor), channel, pool)
}

// ApprovalFor is the approval rule that guards action on the pool named pool
// (see policy.Policy.ApprovalFor): a read of the one policy's rules, for the
// reminders and break-glass notices that must reach that rule's approvers.
func (p *Policy) ApprovalFor(action actions.Action, pool string) (config.ApprovalRule, bool) {
	return p.decide.ApprovalFor(action, pool)
}

// Resolve fills actor.In with every user group the policy names that could
// be looked up; one that could not is left out, so it counts as unknown. An
// actor whose In is already filled is returned as it is, so a caller that
// must not wait on Slack later (inside an operation) resolves first.
func (p *Policy) Resolve(ctx context.Context, actor policy.Actor) policy.Actor {
	if actor.In != nil || actor.UserID == "" {
		return actor
	}
	actor.In = map[string]bool{}
	if p.groups == nil {
		return actor
	}
	for _, g := range p.decide.UserGroups() {
		ids, err := p.groups.Members(ctx, g)
		if err == nil {
			actor.In[g] = slices.Contains(ids, actor.UserID)
		}
	}
	return actor
}
