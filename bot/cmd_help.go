package bot

import (
	"context"
	"slices"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

var helpCommand = command{
	Name:    "help",
	Action:  config.ActionHelp,
	Usage:   "[command]",
	Summary: "Show what you can run here, or how to use one command",
	Parse:   parseHelp,
}

func parseHelp(b *Bot, req *request, args []string) (invocation, error) {
	if len(args) > 1 {
		return invocation{}, usagef("Expected at most one command name.")
	}
	return invocation{Run: func(ctx context.Context) error {
		if len(args) == 1 {
			if c, ok := b.registry.find(args[0]); ok {
				b.reply(ctx, req, views.Usage(c.help(), b.cfg.Slack.Command, ""), replyEphemeral)
				return nil
			}
		}
		b.reply(ctx, req, views.HelpList(b.helpFor(ctx, req), b.cfg.Slack.Command), replyEphemeral)
		return nil
	}}, nil
}

// helpFor lists only the commands the caller's role may run in this channel.
func (b *Bot) helpFor(ctx context.Context, req *request) []views.HelpEntry {
	allowed := b.policy.AllowedActions(ctx, actorOf(req.Actor), req.Channel)
	var out []views.HelpEntry
	for _, c := range b.registry {
		if c.Action == config.ActionHelp || slices.Contains(allowed, c.Action) {
			out = append(out, c.help())
		}
	}
	return out
}
