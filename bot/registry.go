package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// command is one /cognito subcommand as data: the registry below is the single list
// from which dispatch, help and "did you mean" are all derived.
type command struct {
	Name        string
	Aliases     []string
	Action      config.Action
	Usage       string // arguments after the name
	Summary     string
	Destructive bool
	// Parse checks the arguments and returns what to run; a *usageError makes the
	// bot answer with this command's usage.
	Parse func(b *Bot, req *request, args []string) (invocation, error)
}

// invocation is a parsed command, ready to run once authorized.
type invocation struct {
	Target audit.Target // what the command is about, for the audit entry of a denial
	Run    func(ctx context.Context) error
}

type registry []command

func newRegistry() registry {
	return registry{
		helpCommand,
		lookupCommand,
		listCommand,
		disableCommand,
		enableCommand,
		resetCommand,
		revokeCommand,
		deleteCommand,
		auditCommand,
		poolsCommand,
	}
}

// find returns the command with that name or alias.
func (r registry) find(name string) (command, bool) {
	name = strings.ToLower(name)
	for _, c := range r {
		if c.Name == name {
			return c, true
		}
		for _, a := range c.Aliases {
			if a == name {
				return c, true
			}
		}
	}
	return command{}, false
}

// closest suggests the command a typo most likely meant, or "" if none is close.
func (r registry) closest(name string) string {
	best, bestDist := "", 3
	for _, c := range r {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if d := editDistance(strings.ToLower(name), n); d < bestDist {
				best, bestDist = c.Name, d
			}
		}
	}
	return best
}

func (c command) help() views.HelpEntry {
	usage := c.Name
	if c.Usage != "" {
		usage += " " + c.Usage
	}
	return views.HelpEntry{Name: c.Name, Aliases: c.Aliases, Usage: usage, Summary: c.Summary, Destructive: c.Destructive}
}

// handleCommand runs one slash command through the pipeline.
func (b *Bot) handleCommand(ctx context.Context, req *request, text string) {
	args, err := splitArgs(unwrapSlackText(text))
	if err != nil {
		b.reply(ctx, req, views.Usage(helpCommand.help(), b.cfg.Slack.Command, err.Error()), replyEphemeral)
		return
	}
	if len(args) == 0 {
		args = []string{"help"}
	}
	cmd, ok := b.registry.find(args[0])
	if !ok {
		hint := "Unknown command `" + views.Truncate(args[0], 40) + "`."
		if s := b.registry.closest(args[0]); s != "" {
			hint += " Did you mean `" + s + "`?"
		}
		b.reply(ctx, req, views.Usage(helpCommand.help(), b.cfg.Slack.Command, hint), replyEphemeral)
		return
	}
	inv, err := cmd.Parse(b, req, args[1:])
	if err != nil {
		b.answerError(ctx, req, cmd, err)
		return
	}
	if cmd.Action != config.ActionHelp && !b.authorize(ctx, req, cmd.Action, inv.Target) {
		return
	}
	if err := inv.Run(ctx); err != nil {
		b.answerError(ctx, req, cmd, err)
	}
}

// answerError shows usage for a usage error and a plain sentence for anything else.
func (b *Bot) answerError(ctx context.Context, req *request, cmd command, err error) {
	var ue *usageError
	if errors.As(err, &ue) {
		b.reply(ctx, req, views.Usage(cmd.help(), b.cfg.Slack.Command, ue.problem), replyEphemeral)
		return
	}
	b.reply(ctx, req, views.Notice(b.userMessage(err, req, cmd.Name)), replyEphemeral)
}

// editDistance is the Levenshtein distance, for suggesting the closest command.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
