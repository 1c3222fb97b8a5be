package commands

import (
	"context"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// command is one /cognito subcommand: its entry in the action table plus the
// parser that turns arguments into work. The registry is derived from the table,
// so dispatch, help and "did you mean" never disagree with it.
type command struct {
	actions.Spec
	Parse parser
}

// parser checks a command's arguments and returns what to run; a *usageError
// makes the bot answer with the command's usage.
type parser func(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error)

// oneUser is a parser of the commands about one user, as the registry keeps it.
func oneUser(p usercmd.Parser) parser {
	return func(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
		return p(b.OneUser, req, args)
	}
}

// specialParsers are the commands that are not a single-user operation; every
// action with an Op is parsed by userActionParser.
var specialParsers = map[actions.Action]parser{
	actions.Help:   parseHelp,
	actions.Lookup: oneUser(usercmd.ParseLookup),
	actions.List:   parseList,
	actions.Audit:  parseAudit,
	actions.Pools:  parsePools,

	actions.Create:    oneUser(usercmd.ParseCreate),
	actions.Edit:      oneUser(usercmd.ParseEdit),
	actions.Groups:    oneUser(usercmd.ParseGroups),
	actions.Bulk:      parseBulk,
	actions.History:   oneUser(usercmd.ParseRead(actions.History)),
	actions.Devices:   oneUser(usercmd.ParseRead(actions.Devices)),
	actions.Why:       oneUser(usercmd.ParseRead(actions.Why)),
	actions.Export:    parseExport,
	actions.Import:    parseImport,
	actions.Undo:      oneUser(usercmd.ParseUndo),
	actions.Scheduled: parseScheduled,
}

// Registry is every /cognito subcommand, one per action of the table.
type Registry []command

// NewRegistry builds a command for every action of the table. An action without a
// parser is a programming error caught by the registry test.
func NewRegistry() Registry {
	var r Registry
	for _, s := range actions.All() {
		p, ok := specialParsers[s.Action]
		if !ok && s.Op != nil {
			p, ok = oneUser(usercmd.UserActionParser(s)), true
		}
		if ok {
			r = append(r, command{Spec: s, Parse: p})
		}
	}
	return r
}

// Find returns the command with that name or alias.
func (r Registry) Find(name string) (command, bool) {
	s, ok := actions.Find(name)
	if !ok {
		return command{}, false
	}
	for _, c := range r {
		if c.Action == s.Action {
			return c, true
		}
	}
	return command{}, false
}

// Closest suggests the command a typo most likely meant, or "" if none is close.
func (r Registry) Closest(name string) string {
	best, bestDist := "", 3
	for _, c := range r {
		for _, n := range append([]string{string(c.Action)}, c.Aliases...) {
			if d := editDistance(strings.ToLower(name), n); d < bestDist {
				best, bestDist = string(c.Action), d
			}
		}
	}
	return best
}

func (c command) help() views.HelpEntry { return flows.HelpOf(c.Spec) }

// HandleCommand parses one slash command and runs it; the pipeline authorizes.
func (b *Commands) HandleCommand(ctx context.Context, req *transport.Request, text string) {
	helpCmd, _ := b.Registry.Find(string(actions.Help))
	args, err := desk.SplitArgs(desk.UnwrapSlackText(text))
	if err != nil {
		b.Reply(ctx, req, views.Usage(helpCmd.help(), b.Cfg.Slack.Command, err.Error()), desk.ReplyEphemeral)
		return
	}
	if len(args) == 0 {
		args = []string{string(actions.Help)}
	}
	cmd, ok := b.Registry.Find(args[0])
	if !ok {
		hint := "Unknown command `" + views.Truncate(args[0], 40) + "`."
		if s := b.Registry.Closest(args[0]); s != "" {
			hint += " Did you mean `" + s + "`?"
		}
		b.Reply(ctx, req, views.Usage(helpCmd.help(), b.Cfg.Slack.Command, hint), desk.ReplyEphemeral)
		return
	}
	inv, err := cmd.Parse(b, req, args[1:])
	if err == nil {
		err = inv.Run(ctx)
	}
	if err != nil {
		b.AnswerError(ctx, req, cmd.Action, err)
	}
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
