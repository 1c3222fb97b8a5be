// Package commands is the /cognito command registry, derived from the action
// table (dispatch, help and "did you mean" never disagree with it), and the
// commands over many users or none: bulk, import, export, list, audit,
// scheduled, pools, help and the Home tab. It builds on usercmd.
package commands

import (
	"github.com/cognito-bot/cognito-bot/bot/exports"
	"github.com/cognito-bot/cognito-bot/bot/longjobs"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
)

// Commands is the /cognito subcommands: one file per command (its options,
// its parse, its run) and the registry derived from the action table. It
// builds on the long-running work and the flows.
type Commands struct {
	// OneUser is the commands about one user, on which these build.
	*usercmd.OneUser
	// Registry is every command, derived from internal/actions.
	Registry Registry
	// Checks runs long checks (filtered dry runs, import checks) as jobs;
	// nil: they run beside the workers.
	Checks *longjobs.Checks
	// Exports runs the export command's exports, as jobs when the state
	// store keeps them.
	Exports *exports.Exports
}
