package usercmd

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// ParseRead parses the read commands about one user (history, devices, why):
// one user and --pool.
func ParseRead(action actions.Action) Parser {
	return func(b *OneUser, req *transport.Request, args []string) (Invocation, error) {
		a, err := b.ParseUserArgs(args, nil, nil)
		if err != nil {
			return Invocation{}, err
		}
		return Invocation{Run: func(ctx context.Context) error {
			return b.ReadCommand(ctx, req, action, a.Pool, flows.Typed(a.Query))
		}}, nil
	}
}

// ReadCommand runs a read command on the user ref names, typed or from a
// card or a pick.
func (b *OneUser) ReadCommand(ctx context.Context, req *transport.Request, action actions.Action, pool config.Pool, ref flows.TargetRef) error {
	switch action {
	case actions.History:
		return b.history(ctx, req, pool, ref)
	case actions.Devices:
		return b.devices(ctx, req, pool, ref)
	case actions.Why:
		return b.why(ctx, req, pool, ref)
	case actions.Groups:
		return b.UserGroups(ctx, req, pool, ref)
	}
	return fmt.Errorf("%s is not a read command", action)
}
