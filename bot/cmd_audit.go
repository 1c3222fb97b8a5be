package bot

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

var auditCommand = command{
	Name:    "audit",
	Action:  config.ActionAudit,
	Usage:   "<user> | --actor @someone [--limit N] [--pool NAME]",
	Summary: "Show the newest audit entries about a user, or by a Slack user",
	Parse:   parseAudit,
}

const (
	defaultAuditLimit = 15
	maxAuditLimit     = 50
)

func parseAudit(b *Bot, req *request, args []string) (invocation, error) {
	f, err := parseFlags(args, []string{"actor", "limit", "pool"}, nil)
	if err != nil {
		return invocation{}, err
	}
	limit, err := intFlag(f, "limit", defaultAuditLimit, maxAuditLimit)
	if err != nil {
		return invocation{}, err
	}
	pool, err := b.pool(f)
	if err != nil {
		return invocation{}, err
	}
	if mention, ok := f.values["actor"]; ok {
		if len(f.pos) > 0 {
			return invocation{}, usagef("Give either a user or `--actor`, not both.")
		}
		userID, valid := userIDFromMention(mention)
		if !valid {
			return invocation{}, usagef("`--actor` takes a Slack mention such as @someone.")
		}
		return invocation{Run: func(ctx context.Context) error {
			return b.showAudit(ctx, req, "actions by Slack user "+userID, func(ctx context.Context) ([]audit.Entry, string, error) {
				return b.audit.ByActor(ctx, req.Actor.TeamID, userID, limit, "")
			})
		}}, nil
	}
	q, err := onePositional(f, "user (or --actor @someone)")
	if err != nil {
		return invocation{}, err
	}
	return invocation{
		Target: audit.Target{Pool: pool.ID, Username: q},
		Run: func(ctx context.Context) error {
			username := q
			// A username is used as typed, so the history of deleted users stays reachable;
			// an email, phone or sub is resolved to the username it belongs to now.
			if attr, _, err := cognito.ClassifyQuery(q); err != nil {
				return err
			} else if attr != "username" {
				users, _, out := b.resolve(ctx, req, "find#"+req.Ref, config.ActionAudit, pool, q)
				if out.Duplicate {
					return nil
				}
				if out.Err != nil {
					return out.Err
				}
				if len(users) != 1 {
					b.reply(ctx, req, notice(fmt.Sprintf("%d users match %q; give the exact username.", len(users), q)), replyEphemeral)
					return nil
				}
				username = users[0].Username
			}
			return b.showAudit(ctx, req, username+" in "+pool.Name, func(ctx context.Context) ([]audit.Entry, string, error) {
				return b.audit.ByTarget(ctx, pool.ID, username, limit, "")
			})
		},
	}, nil
}

// showAudit reads the log and shows it. Reading the audit log is itself recorded.
func (b *Bot) showAudit(ctx context.Context, req *request, subject string, read func(context.Context) ([]audit.Entry, string, error)) error {
	entries, cursor, err := read(ctx)
	if err != nil {
		return fmt.Errorf("reading audit log: %w: %w", errStateUnavailable, err)
	}
	rec := audit.Entry{ID: "audit#" + hashKey(req.Ref), Actor: req.Actor, Channel: req.Channel, Action: string(config.ActionAudit),
		Params: map[string]string{"subject": subject}, Decision: audit.Allowed, Outcome: audit.OutcomeOK,
		Message: fmt.Sprintf("%d entries shown", len(entries)), SlackRef: req.EnvelopeID}
	if err := b.audit.Record(ctx, rec); err != nil {
		return fmt.Errorf("%w: %w", errAuditUnavailable, err)
	}
	views := make([]auditEntryView, len(entries))
	for i, e := range entries {
		views[i] = auditEntryView{Time: e.Time, Actor: toActorView(e.Actor), Action: e.Action, Target: e.Target.Username,
			Pool: e.Target.Pool, Decision: string(e.Decision), Outcome: string(e.Outcome), Message: e.Message,
			Reason: e.Reason, DenyReason: e.DenyReason}
	}
	b.reply(ctx, req, auditLog(subject, views, cursor != ""), replyEphemeral)
	return nil
}
