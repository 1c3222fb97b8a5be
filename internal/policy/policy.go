package policy

import (
	"slices"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Policy is the compiled configuration: roles, approval rules, protected
// groups, require_reason, the bulk threshold and the served teams. It is
// safe for concurrent use and does not change after New.
type Policy struct {
	roles      []role
	approvals  []config.ApprovalRule
	protected  []string
	reasons    map[actions.Action]bool
	confirmBy  config.ConfirmBy
	bulkAbove  int
	bulkWindow config.Duration
	teams      map[string]bool // nil: any team
	userGroups []string
	// callerChecked are the actions whose confirm needs the caller verified
	// (caller_verification.actions): never a bulk job, which has no prompt per caller.
	callerChecked map[actions.Action]bool
}

// role is a config.Role compiled into sets.
type role struct {
	name     string
	all      bool
	actions  map[actions.Action]bool
	members  principals
	channels []string // nil: usable anywhere
	pools    []string // nil: covers every pool
	// breakGlass lets the role skip an approval with --break-glass and a reason.
	breakGlass bool
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

// New compiles cfg. Without allowed teams (in cfg or WithTeams) actors of any
// workspace are judged by their roles alone. A nil cfg yields a policy that
// allows only help.
func New(cfg *config.Config, opts ...Option) *Policy {
	p := &Policy{reasons: map[actions.Action]bool{}, confirmBy: config.ConfirmByRequester, callerChecked: map[actions.Action]bool{}}
	if cfg != nil {
		for _, a := range cfg.CallerVerification.Actions {
			p.callerChecked[a] = true
		}
		for _, r := range cfg.Roles {
			cr := role{name: r.Name, actions: map[actions.Action]bool{}, members: newPrincipals(r.Members), breakGlass: r.BreakGlass}
			for _, a := range r.Actions {
				cr.all = cr.all || a == actions.Any
				cr.actions[a] = true
			}
			if len(r.Channels) > 0 {
				cr.channels = slices.Clone(r.Channels)
			}
			if len(r.Pools) > 0 {
				cr.pools = slices.Clone(r.Pools)
			}
			p.roles = append(p.roles, cr)
			p.addUserGroups(r.Members)
		}
		for _, a := range cfg.Approvals {
			a.Approvers, a.Pools, a.EscalateTo = slices.Clone(a.Approvers), slices.Clone(a.Pools), slices.Clone(a.EscalateTo)
			p.approvals = append(p.approvals, a)
			p.addUserGroups(a.Approvers)
			p.addUserGroups(a.EscalateTo)
		}
		for a, o := range cfg.Actions {
			p.reasons[a] = o.RequireReason
		}
		p.protected = slices.Clone(cfg.ProtectedGroups)
		if cfg.Confirm.By != "" {
			p.confirmBy = cfg.Confirm.By
		}
		p.bulkAbove, p.bulkWindow = cfg.Bulk.ApprovalAbove, cfg.Bulk.Window
		if len(cfg.Slack.AllowedTeams) > 0 {
			WithTeams(cfg.Slack.AllowedTeams...)(p)
		}
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// UserGroups lists every Slack user group (S…) the configuration names, as
// a role member or an approver: what the bot looks up for Actor.In.
func (p *Policy) UserGroups() []string { return slices.Clone(p.userGroups) }

func (p *Policy) addUserGroups(ids []string) {
	for _, id := range ids {
		if isGroup(id) && !slices.Contains(p.userGroups, id) {
			p.userGroups = append(p.userGroups, id)
		}
	}
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
func (r *role) grants(a actions.Action) bool { return r.all || r.actions[a] }

// usableIn reports whether the role works in channel.
func (r *role) usableIn(channel string) bool {
	return r.channels == nil || slices.Contains(r.channels, channel)
}

// covers reports whether the role may act on the pool named pool; "" is an
// action about no pool, which a pool limit does not restrict.
func (r *role) covers(pool string) bool {
	return pool == "" || r.pools == nil || slices.Contains(r.pools, pool)
}

// member reports whether a is one of ps, directly or through a user group.
// If not, unknown is true when a group could not be checked, since the actor
// might have been in it.
func (a Actor) member(ps principals) (ok, unknown bool) {
	if a.UserID != "" && ps.users[a.UserID] {
		return true, false
	}
	for _, g := range ps.groups {
		in, known := a.In[g]
		if in {
			return true, false
		}
		unknown = unknown || !known
	}
	return false, unknown
}

// admits reports whether actor may use this policy at all, and why not.
func (p *Policy) admits(id Identity) (bool, string) {
	if id.UserID == "" {
		return false, "unknown Slack user"
	}
	if p.teams != nil && !p.teams[id.TeamID] && (id.EnterpriseID == "" || !p.teams[id.EnterpriseID]) {
		return false, "cognito-bot does not serve your workspace"
	}
	return true, ""
}
