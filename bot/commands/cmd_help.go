package commands

import (
	"context"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func parseHelp(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	if len(args) > 1 {
		return usercmd.Invocation{}, desk.Usagef("Expected at most one command name.")
	}
	return usercmd.Invocation{Run: func(ctx context.Context) error {
		if _, ok := b.Do(ctx, req, pipeline.Step{AuditID: auditid.ForRequest(auditid.Help, req.Ref), Action: actions.Help}); !ok {
			return nil
		}
		if len(args) == 1 {
			if c, ok := b.Registry.Find(args[0]); ok {
				b.Reply(ctx, req, views.Usage(c.help(), b.Cfg.Slack.Command, ""), desk.ReplyEphemeral)
				return nil
			}
		}
		b.Reply(ctx, req, views.HelpList(b.helpFor(ctx, req), b.Cfg.Slack.Command), desk.ReplyEphemeral)
		return nil
	}}, nil
}

// helpFor lists only the commands the caller may run in this channel, noting the
// pools a command is limited to when the caller's roles do not cover every pool.
func (b *Commands) helpFor(ctx context.Context, req *transport.Request) []views.HelpEntry {
	actor := pipeline.PolicyActor(req.Actor)
	poolsFor := map[actions.Action][]string{}
	for _, p := range b.Cfg.Pools {
		for _, a := range b.Policy.Actions(ctx, actor, req.Channel, p.Name) {
			poolsFor[a] = append(poolsFor[a], p.Name)
		}
	}
	unscoped := b.Policy.Actions(ctx, actor, req.Channel, "")
	var out []views.HelpEntry
	for _, c := range b.Registry {
		pools := poolsFor[c.Action]
		switch {
		case c.Action == actions.Help:
		case c.Scope == actions.ScopeNone && slices.Contains(unscoped, c.Action):
		case len(pools) == 0:
			continue
		}
		h := c.help()
		if c.Scope != actions.ScopeNone && len(pools) > 0 && len(pools) < len(b.Cfg.Pools) {
			h.Summary += " (pools: " + strings.Join(pools, ", ") + ")"
		}
		out = append(out, h)
	}
	return out
}
