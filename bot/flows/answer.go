package flows

import (
	"context"
	"errors"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// AnswerError shows usage for a usage error and a plain sentence for anything else.
func (b *Flows) AnswerError(ctx context.Context, req *transport.Request, action actions.Action, err error) {
	var ue *desk.UsageError
	if spec, known := actions.Get(action); known && errors.As(err, &ue) {
		b.Reply(ctx, req, views.Usage(HelpOf(spec), b.Cfg.Slack.Command, ue.Problem), desk.ReplyEphemeral)
		return
	}
	b.Reply(ctx, req, views.Notice(b.UserMessage(err, req, string(action))), desk.ReplyEphemeral)
}

// Words phrases an action for the views, from the table.
func Words(a actions.Action) views.Words {
	s, _ := actions.Get(a)
	return views.Words{Button: s.Button, Verb: s.Verb, Done: s.Done}
}

// HelpOf is an action's entry in help and usage answers, from the table.
func HelpOf(s actions.Spec) views.HelpEntry {
	return views.HelpEntry{Name: string(s.Action), Aliases: s.Aliases, Usage: s.Synopsis(), Summary: s.Summary, Destructive: s.Destructive}
}
