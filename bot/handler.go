package bot

import (
	"context"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// request is one interaction as package transport reads it.
type request = transport.Request

// Run connects through client and serves until ctx ends or Slack refuses the
// credentials (package transport acks, queues and drains). Beside it run the
// sweeper, the bulk job runner and the budget renewal. Run returns only once
// every goroutine it started has ended: nothing of a stopped bot goes on
// touching the stores, Slack or the logger.
func (b *Bot) Run(ctx context.Context, client *socketmode.Client) error {
	ctx, stop := context.WithCancel(ctx)
	// Deferred calls run last first: the server stops the loops (stop) and
	// drains the workers, then the loops and any late answer are waited for.
	defer b.Background.Wait()
	defer stop()
	b.RunCtx.Store(&ctx)
	b.Background.Go(func() { b.SweepLoop(ctx) })
	if b.Runner != nil {
		b.Background.Go(func() { b.Runner.Loop(ctx) })
	}
	if b.budget != nil {
		b.Background.Go(func() { b.budget.Run(ctx) })
	}
	return b.server.Run(ctx, client, stop)
}

// handler is the bot as package transport sees it: where each acked
// envelope goes once its turn has come.
type handler struct{ b *Bot }

func (h handler) Command(ctx context.Context, req *request, text string) {
	h.b.HandleCommand(ctx, req, text)
}

func (h handler) Click(ctx context.Context, req *request, act *slack.BlockAction) {
	h.b.handleClick(ctx, req, act)
}

func (h handler) ReadForm(v *slack.View) (transport.Resume, map[string]string) {
	return readForm(h.b, v)
}

func (h handler) Submission(ctx context.Context, req *request, sub transport.Submission) {
	h.b.handleSubmission(ctx, req, sub)
}

func (h handler) HomeOpened(ctx context.Context, req *request) { h.b.PublishHome(ctx, req) }

func (h handler) Answer(req *request, m views.Message) { h.b.AnswerLater(req, m) }
