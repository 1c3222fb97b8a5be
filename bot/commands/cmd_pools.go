package commands

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func parsePools(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	if len(args) > 0 {
		return usercmd.Invocation{}, desk.Usagef("`pools` takes no arguments.")
	}
	return usercmd.Invocation{Run: func(ctx context.Context) error {
		if _, ok := b.Do(ctx, req, pipeline.Step{AuditID: auditid.ForRequest(auditid.Pools, req.Ref), Action: actions.Pools}); !ok {
			return nil
		}
		pools := make([]views.PoolView, 0, len(b.Cfg.Pools))
		for i, p := range b.Cfg.Pools {
			v := desk.ToPoolView(p)
			v.Default = i == 0
			pools = append(pools, v)
		}
		b.Reply(ctx, req, views.PoolsList(pools), desk.ReplyEphemeral)
		return nil
	}}, nil
}
