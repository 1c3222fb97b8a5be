package bot

import (
	"context"
	"strconv"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// showMatches offers a short list when a query matched several users. The list
// remembers each candidate's exact username and sub, never the query.
func (b *Bot) showMatches(ctx context.Context, req *request, pool config.Pool, query string, users []cognito.User, next pickNext) error {
	id := desk.NewSessionID()
	s := desk.PickSession{Pool: pool.Name, Action: next.Action, Public: next.Public, Reason: next.Reason, Limit: next.Limit, Args: next.Args}
	rows := make([]views.UserView, len(users))
	for i := range users {
		s.Choices = append(s.Choices, identityOf(&users[i]))
		rows[i] = desk.ToUserView(users[i])
	}
	if err := b.SaveSession(ctx, req, id, desk.KindPick, s); err != nil {
		return err
	}
	b.Reply(ctx, req, views.MatchesList(query, desk.ToPoolView(pool), rows, func(i int) string { return id + "#" + strconv.Itoa(i) }), b.replaceIfClicked(req))
	return nil
}

// pick continues the original command with the user chosen from the matches,
// resolved exactly by the identity the list remembered.
func (b *Bot) pick(ctx context.Context, req *request, value string) {
	id, i, ok := desk.SplitValue(value)
	var s desk.PickSession
	if !ok || !b.LoadSession(ctx, req, id, desk.KindPick, &s) {
		if !ok {
			b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		}
		return
	}
	pool, poolOK := b.Cfg.PoolByName(s.Pool)
	if i < 0 || i >= len(s.Choices) || !poolOK {
		b.Reply(ctx, req, views.Notice("This button is no longer valid."), desk.ReplyEphemeral)
		return
	}
	target := exactly(s.Choices[i])
	var err error
	switch s.Action {
	case actions.Lookup:
		err = b.lookup(ctx, req, pool, target, s.Public)
	case actions.Audit:
		err = b.auditOfUser(ctx, req, pool, target, max(s.Limit, 1))
	case actions.Groups:
		err = b.userGroups(ctx, req, pool, target)
	case actions.History, actions.Devices, actions.Why:
		err = b.readCommand(ctx, req, s.Action, pool, target)
	default:
		spec, known := actions.Get(s.Action)
		if !known || spec.Op == nil {
			b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
			return
		}
		err = b.requestAction(ctx, req, actionRequest{spec: spec, pool: pool, target: target, reason: s.Reason, args: s.Args,
			pendingID: "p" + transport.HashKey(id, strconv.Itoa(i), string(s.Action))})
	}
	if err != nil {
		b.answerError(ctx, req, s.Action, err)
	}
}
