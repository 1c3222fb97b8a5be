package jobs

import (
	"context"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// longCheckTimeout bounds one long check (a bulk dry run or an import's
// check of thousands of users). At the quota's pace it takes minutes, longer
// than an interaction's deadline, so it has its own bound, as an export does;
// it still ends with the bot.
const longCheckTimeout = 15 * time.Minute

// longCheckUsers is how many users make a check long: it then says first that
// it is under way and about how long it will take, and runs beside the
// workers instead of holding one for minutes.
const longCheckUsers = 200

// MaxLongChecks is how many long checks run at once, one per person; more are
// turned away, so a few people's big files never starve everyone else's
// commands.
const MaxLongChecks = 4

// LongCheck runs check for n users with its own time bound. A long one runs
// in the background (the worker is freed at once), after telling the requester
// it is under way; when maxLongChecks are already running it is refused.
func (b *Jobs) LongCheck(ctx context.Context, req *transport.Request, n int, check func(ctx context.Context)) {
	about := time.Duration(float64(n) / b.BulkLimits.Rate("UserRead") * float64(time.Second))
	underway := views.DryRunUnderWay(n, about)
	b.RunCheck(ctx, req, n > longCheckUsers, &underway, check)
}

// RunCheck runs check with its own time bound: in the background when long,
// after telling the requester underway (when not nil), else on the worker. A
// filtered dry run is always long: how many pages of the pool it reads is not
// known ahead, so it is not announced either.
func (b *Jobs) RunCheck(ctx context.Context, req *transport.Request, long bool, underway *views.Message, check func(ctx context.Context)) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), longCheckTimeout)
	if !long {
		defer cancel()
		defer context.AfterFunc(b.runContext(), cancel)()
		check(ctx)
		return
	}
	who := req.Actor.TeamID + "/" + req.Actor.UserID
	if _, busy := b.longRunning.LoadOrStore(who, struct{}{}); busy {
		defer cancel()
		b.Reply(ctx, req, views.Notice("You already have a long check running; its answer comes here. Nothing was done."), desk.ReplyEphemeral)
		return
	}
	select {
	case b.longChecks <- struct{}{}:
	default:
		b.longRunning.Delete(who)
		defer cancel()
		b.Reply(ctx, req, views.Notice("Several long checks of many users are already running. Nothing was done; please try again in a few minutes."), desk.ReplyEphemeral)
		return
	}
	if underway != nil {
		b.Reply(ctx, req, *underway, desk.ReplyEphemeral)
	}
	b.Background.Go(func() {
		defer func() { <-b.longChecks; b.longRunning.Delete(who) }()
		defer cancel()
		defer context.AfterFunc(b.runContext(), cancel)()
		defer transport.RecoverPanic(b.Log, req, "a long check", b.AnswerLater)
		check(ctx)
		if ctx.Err() != nil {
			// Stopped (the bot is stopping, or it ran past its bound): say so,
			// as its own answers could not be sent on the ended context.
			b.AnswerLater(req, views.Notice("The check was stopped before it finished (the bot is restarting, or it took too long). Nothing was done; please run it again."))
		}
	})
}
