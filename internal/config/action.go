package config

import (
	"strings"
)

// Action names one /cognito subcommand. It is the unit that roles grant,
// approval rules guard and audit entries record, so the config file, the
// policy and the bot all share this one vocabulary.
type Action string

// The actions the bot knows. Roles list them by these names.
const (
	// ActionHelp lists the commands the caller may run.
	ActionHelp Action = "help"
	// ActionLookup shows one user's attributes and status.
	ActionLookup Action = "lookup"
	// ActionList lists or searches users in a pool.
	ActionList Action = "list"
	// ActionDisable disables a user so they can no longer sign in.
	ActionDisable Action = "disable"
	// ActionEnable re-enables a disabled user.
	ActionEnable Action = "enable"
	// ActionResetPassword forces a password reset for a user.
	ActionResetPassword Action = "reset-password"
	// ActionRevoke signs a user out everywhere by revoking their tokens.
	ActionRevoke Action = "revoke"
	// ActionDelete deletes a user permanently.
	ActionDelete Action = "delete"
	// ActionAudit reads the bot's own audit log.
	ActionAudit Action = "audit"
	// ActionPools lists the configured user pools.
	ActionPools Action = "pools"

	// AnyAction is the wildcard a role lists to be granted every action,
	// including ones added in later versions.
	AnyAction Action = "*"
)

// AllActions lists every known action in the order help output shows them.
// It excludes the AnyAction wildcard.
var AllActions = []Action{
	ActionHelp, ActionLookup, ActionList, ActionDisable, ActionEnable,
	ActionResetPassword, ActionRevoke, ActionDelete, ActionAudit, ActionPools,
}

// Destructive reports whether a changes or removes a user in a way that
// locks them out or loses data; the bot asks for confirmation before running
// such an action.
func Destructive(a Action) bool {
	switch a {
	case ActionDisable, ActionResetPassword, ActionRevoke, ActionDelete:
		return true
	}
	return false
}

// Known reports whether a is one of AllActions. The wildcard is not an
// action in its own right, so it is not known.
func (a Action) Known() bool {
	for _, k := range AllActions {
		if a == k {
			return true
		}
	}
	return false
}

// ParseAction turns user text such as "Reset-Password" into a known Action,
// so the bot and config agree on case-insensitive spelling.
func ParseAction(s string) (Action, bool) {
	a := Action(strings.ToLower(strings.TrimSpace(s)))
	return a, a.Known()
}

// knownActionList is the human list used in problem messages.
func knownActionList() string {
	names := make([]string, len(AllActions))
	for i, a := range AllActions {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}
