package bot

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// parseRead parses the read commands about one user (history, devices, why):
// one user and --pool.
func parseRead(action actions.Action) parser {
	return func(b *Commands, req *request, args []string) (invocation, error) {
		a, err := b.ParseUserArgs(args, nil, nil)
		if err != nil {
			return invocation{}, err
		}
		return invocation{Run: func(ctx context.Context) error {
			return b.readCommand(ctx, req, action, a.Pool, Typed(a.Query))
		}}, nil
	}
}

// readCommand runs a read command on the user ref names, typed or from a
// card or a pick.
func (b *Commands) readCommand(ctx context.Context, req *request, action actions.Action, pool config.Pool, ref TargetRef) error {
	switch action {
	case actions.History:
		return b.history(ctx, req, pool, ref)
	case actions.Devices:
		return b.devices(ctx, req, pool, ref)
	case actions.Why:
		return b.why(ctx, req, pool, ref)
	case actions.Groups:
		return b.userGroups(ctx, req, pool, ref)
	}
	return fmt.Errorf("%s is not a read command", action)
}
