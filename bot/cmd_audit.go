package bot

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
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
			// A username is used as typed, so the history of deleted users stays reachable;
			// an email, phone or sub is resolved to the username it belongs to now.
			attr, _, err := cognito.ClassifyQuery(q)
			if err != nil {
				return err
			}
			if attr == "username" {
				return b.auditOf(ctx, req, pool, q, limit)
			}
			u, err := b.resolveOne(ctx, req, "find#"+req.Ref, pool, q, pickNext{Action: config.ActionAudit, Limit: limit})
			if u == nil || err != nil {
				return err
			}
			return b.auditOf(ctx, req, pool, u.Username, limit)
		},
	}, nil
}

// auditOf shows the newest entries about one user.
func (b *Bot) auditOf(ctx context.Context, req *request, pool config.Pool, username string, limit int) error {
	return b.showAudit(ctx, req, username+" in "+pool.Name, func(ctx context.Context) ([]audit.Entry, string, error) {
		return b.audit.ByTarget(ctx, pool.ID, username, limit, "")
	})
}

// showAudit reads the log and shows it. Reading the audit log goes through the same
// pipeline as a Cognito call: the intent is recorded first, and nothing is shown if
// it cannot be. The entry names the subject in its parameters rather than as its
// target, so a user's history does not list the reads of that history.
func (b *Bot) showAudit(ctx context.Context, req *request, subject string, read func(context.Context) ([]audit.Entry, string, error)) error {
	var entries []audit.Entry
	var cursor string
	out := b.run(ctx, req, "audit#"+hashKey(req.Ref, subject), operation{
		Action: config.ActionAudit,
		Params: map[string]string{"subject": subject},
		Call: func(ctx context.Context) (string, string, error) {
			var err error
			entries, cursor, err = read(ctx)
			if err != nil {
				return "", "", fmt.Errorf("reading audit log: %w: %w", errStateUnavailable, err)
			}
			return fmt.Sprintf("%d entries shown", len(entries)), "", nil
		},
	})
	if out.Duplicate {
		return nil
	}
	if out.Err != nil {
		return out.Err
	}
	rows := make([]views.AuditEntryView, len(entries))
	for i, e := range entries {
		rows[i] = views.AuditEntryView{Time: e.Time, Actor: toActorView(e.Actor), Action: e.Action, Target: e.Target.Username,
			Pool: e.Target.Pool, Decision: string(e.Decision), Outcome: string(e.Outcome), Message: e.Message,
			Reason: e.Reason, DenyReason: e.DenyReason}
	}
	b.reply(ctx, req, views.AuditLog(subject, rows, cursor != ""), replyEphemeral)
	return nil
}
