package commands

import (
	"context"
	"strconv"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// Pick continues the original command with the user chosen from the matches,
// resolved exactly by the identity the list remembered.
func (b *Commands) Pick(ctx context.Context, req *transport.Request, value string) {
	id, i, ok := desk.SplitValue(value)
	if !ok {
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return
	}
	s, loaded := desk.PickSessions.Load(ctx, b.Desk, req, id)
	if !loaded {
		return
	}
	pool, poolOK := b.Cfg.PoolByName(s.Pool)
	if i < 0 || i >= len(s.Choices) || !poolOK {
		b.Reply(ctx, req, views.Notice("This button is no longer valid."), desk.ReplyEphemeral)
		return
	}
	target := flows.Exactly(s.Choices[i])
	var err error
	switch s.Action {
	case actions.Lookup:
		err = b.Lookup(ctx, req, pool, target, s.Public)
	case actions.Audit:
		err = b.auditOfUser(ctx, req, pool, target, max(s.Limit, 1))
	case actions.Groups:
		err = b.UserGroups(ctx, req, pool, target)
	case actions.History, actions.Devices, actions.Why:
		err = b.ReadCommand(ctx, req, s.Action, pool, target)
	default:
		spec, known := actions.Get(s.Action)
		if !known || spec.Op == nil {
			b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
			return
		}
		err = b.RequestAction(ctx, req, flows.ActionRequest{Spec: spec, Pool: pool, Target: target, Reason: s.Reason, Args: s.Args,
			PendingID: "p" + transport.HashKey(id, strconv.Itoa(i), string(s.Action))})
	}
	if err != nil {
		b.AnswerError(ctx, req, s.Action, err)
	}
}
