// Package rbac decides who may run which cognito-bot action where, and who
// may approve what. It is a small policy with no Slack or AWS calls of its
// own: user-group memberships come through a GroupResolver, and anything it
// cannot establish is denied (default deny, fail closed), because a wrong
// "yes" here lets someone delete a customer's account.
package rbac

import (
	"context"
	"slices"

	"github.com/cognito-bot/cognito-bot/internal/config"
)

// GroupResolver returns the Slack user ids in a user group (S…). The bot
// passes a CachedGroups wrapping Slack's usergroups.users.list.
type GroupResolver interface {
	Members(ctx context.Context, groupID string) ([]string, error)
}

// Actor identifies who is asking: a Slack user in a workspace. Identity is
// always ids, never display names, which anyone can change.
type Actor struct {
	// UserID is the Slack user id (U… or W…).
	UserID string
	// TeamID is the Slack workspace id (T…) the user belongs to.
	TeamID string
	// EnterpriseID is the Enterprise Grid organisation id (E…) of the user,
	// or "" outside Grid. A Grid user may act from any workspace of the
	// organisation, so an allowed organisation admits all of them.
	EnterpriseID string
}

// Decision is the outcome of a policy check, with a reason fit to show the
// user and to record in the audit log.
type Decision struct {
	// Allowed reports whether the action may proceed.
	Allowed bool
	// Reason is a human sentence such as "your role does not allow delete".
	Reason string
	// Roles names the roles that allowed the action or, when denied, the
	// roles the actor holds; nil if none apply.
	Roles []string
}

// Policy is the compiled role and approval configuration. It is safe for
// concurrent use and does not change after New.
type Policy struct {
	roles []role
	// approvals holds a copy of the approval rules, so which rule guards
	// an action in a pool is decided by config.ApprovalFor, the same
	// function the bot uses to ask for approval.
	approvals *config.Config
	groups    GroupResolver
	teams     map[string]bool
}

// role is a config.Role compiled into sets.
type role struct {
	name     string
	all      bool
	actions  map[config.Action]bool
	members  principals
	channels []string // nil: usable anywhere
	pools    []string // nil: covers every pool
}

// principals splits Slack ids into direct users and user groups.
type principals struct {
	users  map[string]bool
	groups []string
}

// Option configures a Policy.
type Option func(*Policy)

// WithTeams limits the policy to actors from the given workspaces (T…) or
// Enterprise Grid organisations (E…), replacing slack.allowed_teams, so a
// user from another organisation in a shared (Slack Connect) channel is
// denied even if an id in the config happened to match. With no ids,
// nobody is served.
func WithTeams(teamIDs ...string) Option {
	return func(p *Policy) {
		p.teams = map[string]bool{}
		for _, t := range teamIDs {
			p.teams[t] = true
		}
	}
}

// New compiles the roles, approval rules and slack.allowed_teams of cfg.
// groups resolves user groups; if it is nil, group members are never
// matched (only direct user ids are). Without allowed teams (in cfg or
// WithTeams) actors of any workspace are judged by their roles alone. A nil
// cfg yields a policy that allows only help.
func New(cfg *config.Config, groups GroupResolver, opts ...Option) *Policy {
	p := &Policy{groups: groups, approvals: &config.Config{}}
	if cfg != nil {
		for _, r := range cfg.Roles {
			cr := role{name: r.Name, actions: map[config.Action]bool{}, members: newPrincipals(r.Members)}
			for _, a := range r.Actions {
				cr.all = cr.all || a == config.AnyAction
				cr.actions[a] = true
			}
			if len(r.Channels) > 0 {
				cr.channels = slices.Clone(r.Channels)
			}
			if len(r.Pools) > 0 {
				cr.pools = slices.Clone(r.Pools)
			}
			p.roles = append(p.roles, cr)
		}
		for _, a := range cfg.Approvals {
			a.Approvers, a.Pools = slices.Clone(a.Approvers), slices.Clone(a.Pools)
			p.approvals.Approvals = append(p.approvals.Approvals, a)
		}
		if len(cfg.Slack.AllowedTeams) > 0 {
			WithTeams(cfg.Slack.AllowedTeams...)(p)
		}
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func newPrincipals(ids []string) principals {
	ps := principals{users: map[string]bool{}}
	for _, id := range ids {
		if isGroup(id) {
			ps.groups = append(ps.groups, id)
		} else {
			ps.users[id] = true
		}
	}
	return ps
}

// isGroup reports whether id is a Slack user-group id.
func isGroup(id string) bool { return len(id) > 1 && id[0] == 'S' }

// grants reports whether the role lists a or the wildcard.
func (r *role) grants(a config.Action) bool { return r.all || r.actions[a] }

// usableIn reports whether the role works in channel.
func (r *role) usableIn(channel string) bool {
	return r.channels == nil || slices.Contains(r.channels, channel)
}

// covers reports whether the role may act on the pool named pool; "" is an
// action about no pool, which a pool limit does not restrict.
func (r *role) covers(pool string) bool {
	return pool == "" || r.pools == nil || slices.Contains(r.pools, pool)
}

// admits reports whether actor may use this policy at all, and why not.
func (p *Policy) admits(actor Actor) (bool, string) {
	if actor.UserID == "" {
		return false, "unknown Slack user"
	}
	if p.teams != nil && !p.teams[actor.TeamID] && (actor.EnterpriseID == "" || !p.teams[actor.EnterpriseID]) {
		return false, "cognito-bot does not serve your workspace"
	}
	return true, ""
}
