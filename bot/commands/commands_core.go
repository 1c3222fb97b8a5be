package commands

import "github.com/cognito-bot/cognito-bot/bot/usercmd"

// Commands is the /cognito subcommands: one file per command (its options,
// its parse, its run) and the registry derived from the action table. It
// builds on the long-running work and the flows.
type Commands struct {
	// OneUser is the commands about one user, on which these build.
	*usercmd.OneUser
	// Registry is every command, derived from internal/actions.
	Registry Registry
}
