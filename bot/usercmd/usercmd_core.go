// Package usercmd is the commands about one user, one file each in the
// cli/cli manner (its options, its parse, its run): every single-user action
// of the table, lookup, groups, devices, history, why, create, edit, undo
// and the reason modal. It builds on jobs, flows and desk, and implements
// flows.CommandHooks.
package usercmd

import (
	"context"

	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/transport"
)

// OneUser is the commands about one user: the single-user actions of the
// action table, lookup and its card, groups, devices, history, why, create,
// edit and undo, with the reason modal. It builds on the long-running work,
// the flows and the shared Desk.
type OneUser struct {
	*jobs.Jobs
}

// Parser checks a command's arguments and returns what to run; a
// *desk.UsageError makes the bot answer with the command's usage.
type Parser func(b *OneUser, req *transport.Request, args []string) (Invocation, error)

// Invocation is a parsed command. Run ends in the pipeline, which authorizes it.
type Invocation struct {
	Run func(ctx context.Context) error
}
