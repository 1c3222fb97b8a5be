package config

import (
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// Action names one /cognito subcommand. It is the action table's type, so the
// config file, the policy and the bot share the one vocabulary declared in
// package actions.
type Action = actions.Action

const (
	// AnyAction is the wildcard a role lists to be granted every action,
	// including ones added in later versions.
	AnyAction = actions.Any
)

// AllActions lists every known action in the order help output shows them,
// derived from the action table. It excludes the AnyAction wildcard.
var AllActions = actions.Names()

// knownActionList is the human list used in problem messages.
func knownActionList() string {
	names := make([]string, len(AllActions))
	for i, a := range AllActions {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}
