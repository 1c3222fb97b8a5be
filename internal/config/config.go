// Package config loads cognito-bot's settings from the environment and one
// YAML file, fills in defaults and validates everything in one pass, so an
// operator running check-config sees every mistake at once instead of fixing
// them one restart at a time. Secrets (the Slack tokens) come only from the
// environment and are never printed or marshalled.
package config

// Config is the bot's complete, validated configuration. The zero value is
// not usable; build one with Load, or fill it by hand and call ApplyDefaults
// and Validate.
type Config struct {
	// Path is the file the config was loaded from, for log lines.
	Path string `yaml:"-"`
	// Slack holds the Slack connection settings and slash command name.
	Slack Slack `yaml:"slack"`
	// Pools are the Cognito user pools the bot manages; the first is the
	// default when a command names none.
	Pools []Pool `yaml:"pools"`
	// Audit names the DynamoDB tables for the audit log and bot state.
	Audit Audit `yaml:"audit"`
	// Roles grant actions to Slack users and user groups. Anything not
	// granted is denied.
	Roles []Role `yaml:"roles"`
	// Confirm controls the Confirm/Cancel buttons on destructive actions.
	Confirm Confirm `yaml:"confirm"`
	// Approvals lists the actions that need a second person's approval.
	Approvals []ApprovalRule `yaml:"approvals"`
	// Actions holds per-action options keyed by action name.
	Actions map[Action]ActionOptions `yaml:"actions,omitempty"`
	// Quotas are client-side Cognito rate limits, in requests per second,
	// so the bot throttles itself before AWS throttles the whole account.
	Quotas Quotas `yaml:"quotas"`
	// Ops holds the metrics listen address and the drain timeout.
	Ops Ops `yaml:"ops"`
	// ProtectedGroups are Cognito group names (case-sensitive, in every
	// pool) whose members are never changed on one person's word: every
	// change to a member, and adding anyone to the group, needs approval
	// (see package policy).
	ProtectedGroups []string `yaml:"protected_groups,omitempty"`
	// Bulk holds the settings of bulk jobs, such as when they need approval.
	Bulk Bulk `yaml:"bulk,omitempty"`
	// Delete holds how delete works: the undo window before a deletion is final.
	Delete Delete `yaml:"delete,omitempty"`
	// CallerVerification lists the actions whose confirmation needs the
	// caller verified against masked facts.
	CallerVerification CallerVerification `yaml:"caller_verification,omitempty"`
	// Tickets says how ticket ids look in reasons and where they link to.
	Tickets Tickets `yaml:"tickets,omitempty"`
}

// Slack holds the Slack settings. The tokens and API URL come from the
// environment only (yaml:"-"), so a config file can be shared or committed
// without leaking credentials.
type Slack struct {
	// AppToken is the app-level token (xapp-…) for Socket Mode, from
	// SLACK_APP_TOKEN.
	AppToken string `yaml:"-"`
	// BotToken is the bot user OAuth token (xoxb-…) for the Web API, from
	// SLACK_BOT_TOKEN.
	BotToken string `yaml:"-"`
	// APIURL overrides the Slack Web API base URL (for emulators), from
	// SLACK_API_URL. It always ends with "/" or is empty for the default.
	APIURL string `yaml:"-"`
	// Command is the slash command the bot answers, e.g. "/cognito".
	Command string `yaml:"command"`
	// GroupRefresh is how long resolved user-group memberships are cached.
	GroupRefresh Duration `yaml:"group_refresh"`
	// AllowedTeams are the workspace (T…) and Enterprise Grid organisation
	// (E…) ids whose users the bot serves. Empty means the bot's own
	// workspace and organisation, asked from Slack at start-up, which keeps
	// users of other organisations in shared (Slack Connect) channels out.
	AllowedTeams []string `yaml:"allowed_teams,omitempty"`
	// PerUser is how fast one person's requests are taken on (admission.go).
	PerUser Admission `yaml:"per_user"`
}

// Pool is one Cognito user pool the bot may act on.
type Pool struct {
	// Name is the short name users type, e.g. "prod".
	Name string `yaml:"name"`
	// ID is the Cognito user pool id, e.g. "eu-west-1_AbCdEf123".
	ID string `yaml:"id"`
	// Region is the pool's AWS region; it defaults to the id's prefix.
	Region string `yaml:"region,omitempty"`
}

// Audit names the DynamoDB tables the bot writes.
type Audit struct {
	// Table is the append-only audit log table.
	Table string `yaml:"table"`
	// StateTable holds pending confirmations and approvals, so they survive
	// a restart.
	StateTable string `yaml:"state_table"`
	// Retention is how long audit entries are kept (their DynamoDB TTL).
	Retention Duration `yaml:"retention"`
	// AnchorEvery is how often one replica records a digest of the audit
	// chains' heads (an anchor) and posts it to AnchorChannel.
	AnchorEvery Duration `yaml:"anchor_every,omitempty"`
	// AnchorChannel is the Slack channel id anchors are posted to, a copy
	// off the table; empty means anchors are not taken.
	AnchorChannel string `yaml:"anchor_channel,omitempty"`
}

// Role grants a set of actions to Slack users and user groups, optionally
// only in some channels.
type Role struct {
	// Name identifies the role in replies and audit entries.
	Name string `yaml:"name"`
	// Actions are the granted actions; AnyAction ("*") grants all.
	Actions []Action `yaml:"actions"`
	// Members are Slack user ids (U…/W…) and user-group ids (S…).
	Members []string `yaml:"members"`
	// Channels, if set, limit the role to these channel ids (C…/G…/D…).
	Channels []string `yaml:"channels,omitempty"`
	// BreakGlass lets the role run an action it holds that needs approval at
	// once, with --break-glass and a reason: the approvers are told loudly
	// and the audit log marks it. For incidents with no approver around.
	BreakGlass bool `yaml:"break_glass,omitempty"`
	// Pools, if set, limit the role to these pool names, so a staging admin
	// cannot touch production users. Actions that concern no pool (help,
	// pools, audit --actor) are not limited.
	Pools []string `yaml:"pools,omitempty"`
}

// ConfirmBy says who may press Confirm on a destructive action.
type ConfirmBy string

const (
	// ConfirmByRequester lets only the person who ran the command confirm.
	ConfirmByRequester ConfirmBy = "requester"
	// ConfirmByRole lets anyone whose role allows the action confirm.
	ConfirmByRole ConfirmBy = "role"
)

// Confirm controls the confirmation step before destructive actions.
type Confirm struct {
	// By is who may press Confirm.
	By ConfirmBy `yaml:"by"`
	// Expiry is how long Confirm buttons stay valid.
	Expiry Duration `yaml:"expiry"`
}

// ApprovalRule makes an action need a second person (four-eyes) before it
// runs.
type ApprovalRule struct {
	// Action is the guarded action.
	Action Action `yaml:"action"`
	// Approvers are Slack user ids and user-group ids allowed to approve.
	Approvers []string `yaml:"approvers"`
	// Channel is where approval cards are posted.
	Channel string `yaml:"channel"`
	// Expiry is how long a request waits for approval.
	Expiry Duration `yaml:"expiry"`
	// RequireReason makes the requester give a reason for the approver.
	RequireReason bool `yaml:"require_reason"`
	// Pools, if set, limit the rule to these pool names; a rule naming a pool
	// takes precedence there over the action's rule without pools, so
	// production can have stricter approvers than staging.
	Pools []string `yaml:"pools,omitempty"`
	// EscalateAfter, when set with EscalateTo, adds EscalateTo (user and
	// user-group ids) to the approvers of a request still waiting that long
	// after it was made, and tells them; it must be shorter than Expiry.
	EscalateAfter Duration `yaml:"escalate_after,omitempty"`
	EscalateTo    []string `yaml:"escalate_to,omitempty"`
}

// ActionOptions are per-action settings.
type ActionOptions struct {
	// RequireReason makes the user give a reason, recorded in the audit log.
	RequireReason bool `yaml:"require_reason"`
}

// DefaultPool returns the first configured pool, used when a command names
// none. It returns the zero Pool only for an unvalidated config with no pools.
func (c *Config) DefaultPool() Pool {
	if len(c.Pools) == 0 {
		return Pool{}
	}
	return c.Pools[0]
}

// PoolByName returns the pool called name and whether there is one.
func (c *Config) PoolByName(name string) (Pool, bool) {
	for _, p := range c.Pools {
		if p.Name == name {
			return p, true
		}
	}
	return Pool{}, false
}
