package commands

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/auditview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

const (
	defaultAuditLimit = 15
	maxAuditLimit     = 50
)

func parseAudit(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	if len(args) > 0 && strings.EqualFold(args[0], "verify") {
		return parseAuditVerify(b, req, args[1:])
	}
	f, err := desk.ParseFlags(args, []string{"actor", "limit", "pool", "reason", "ticket"}, []string{flows.BreakGlassArg})
	if err != nil {
		return usercmd.Invocation{}, err
	}
	limit, err := desk.IntFlag(f, "limit", defaultAuditLimit, maxAuditLimit)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	_, byReason := f.Values["reason"]
	if _, byTicket := f.Values["ticket"]; byReason || byTicket {
		return b.searchInvocation(req, f, limit)
	}
	pool, err := b.Pool(f)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	if f.Bools[flows.BreakGlassArg] {
		if len(f.Pos) > 0 || f.Values["actor"] != "" {
			return usercmd.Invocation{}, desk.Usagef("`--break-glass` lists every break-glass run; give no user or `--actor` with it.")
		}
		return usercmd.Invocation{Run: func(ctx context.Context) error { return b.auditBreakGlass(ctx, req, limit) }}, nil
	}
	if mention, ok := f.Values["actor"]; ok {
		if len(f.Pos) > 0 {
			return usercmd.Invocation{}, desk.Usagef("Give either a user or `--actor`, not both.")
		}
		userID, valid := desk.UserIDFromMention(mention)
		if !valid {
			return usercmd.Invocation{}, desk.Usagef("`--actor` takes a Slack mention such as @someone.")
		}
		return usercmd.Invocation{Run: func(ctx context.Context) error {
			visible := b.auditablePools(ctx, req)
			render := func(rows []auditview.AuditEntryView, more bool) views.Message {
				return auditview.ActorAuditLog(views.ActorView{UserID: userID}, rows, more)
			}
			return b.showAudit(ctx, req, "", audit.Target{}, "actions by Slack user "+userID, render, func(ctx context.Context, log pipeline.AuditReader) ([]audit.Entry, string, error) {
				entries, cursor, err := log.ByActor(ctx, req.Actor.TeamID, userID, limit, "")
				return onlyPools(entries, visible), cursor, err
			})
		}}, nil
	}
	q, err := desk.OnePositional(f, "user (or --actor @someone)")
	if err != nil {
		return usercmd.Invocation{}, err
	}
	return usercmd.Invocation{Run: func(ctx context.Context) error {
		// A username is used as typed, so the history of deleted users stays reachable;
		// an email, phone or sub is resolved to the username it belongs to now.
		attr, _, err := cognito.ClassifyQuery(q)
		if err != nil {
			return err
		}
		if attr == "username" {
			return b.auditOfUser(ctx, req, pool, flows.Exactly(desk.Identity{Username: q}), limit)
		}
		u, err := b.ResolveOne(ctx, req, auditid.ForRequest(auditid.Find, req.Ref, q), pool, flows.Typed(q), flows.PickNext{Action: actions.Audit, Limit: limit})
		if u == nil || err != nil {
			return err
		}
		return b.auditOfUser(ctx, req, pool, flows.Exactly(flows.IdentityOf(u)), limit)
	}}, nil
}

// auditOfUser shows the newest entries about one user, by exact username.
func (b *Commands) auditOfUser(ctx context.Context, req *transport.Request, pool config.Pool, ref flows.TargetRef, limit int) error {
	username := ref.Exact.Username
	subject := username + " in " + pool.Name
	render := func(rows []auditview.AuditEntryView, more bool) views.Message {
		return auditview.AuditLog(subject, rows, more)
	}
	return b.showAudit(ctx, req, pool.Name, ref.AuditTarget(pool), subject, render,
		func(ctx context.Context, log pipeline.AuditReader) ([]audit.Entry, string, error) {
			return log.ByTarget(ctx, pool.ID, username, limit, "")
		})
}

// showAudit reads the log as a pipeline step (authorized, intent recorded first,
// nothing shown if it cannot be) and shows it. The entry names the subject in its
// parameters rather than as its target, so a user's history does not list the
// reads of that history.
func (b *Commands) showAudit(ctx context.Context, req *transport.Request, poolName string, about audit.Target, subject string,
	render func(rows []auditview.AuditEntryView, more bool) views.Message,
	read func(context.Context, pipeline.AuditReader) ([]audit.Entry, string, error)) error {
	var entries []audit.Entry
	var cursor string
	out, ok := b.Do(ctx, req, pipeline.Step{
		AuditID: auditid.ForRequest(auditid.Audit, req.Ref, subject), Action: actions.Audit, Pool: poolName,
		Params: map[string]string{"subject": subject, "subject_sub": about.Sub},
		Op: func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
			var err error
			entries, cursor, err = read(ctx, s.Log)
			if err != nil {
				return pipeline.Result{}, fmt.Errorf("reading audit log: %w: %w", desk.ErrStateUnavailable, err)
			}
			return pipeline.Result{Summary: fmt.Sprintf("%d entries shown", len(entries))}, nil
		},
	})
	if !ok {
		return nil
	}
	if out.Err != nil {
		return out.Err
	}
	rows := make([]auditview.AuditEntryView, len(entries))
	for i, e := range entries {
		rows[i] = b.auditRow(e)
	}
	b.Reply(ctx, req, render(rows, cursor != ""), desk.ReplyEphemeral)
	return nil
}

// auditablePools is the ids of the pools whose audit entries the viewer may read
// here, or nil when they may read every pool's: a person's actions span pools,
// and a role limited to some pools must not read the others through --actor.
func (b *Commands) auditablePools(ctx context.Context, req *transport.Request) map[string]bool {
	visible := map[string]bool{}
	for _, p := range b.Cfg.Pools {
		if slices.Contains(b.Policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, p.Name), actions.Audit) {
			visible[p.ID] = true
		}
	}
	if len(visible) == len(b.Cfg.Pools) {
		return nil
	}
	return visible
}

// onlyPools keeps the entries about the visible pools (and those about no pool);
// nil visible keeps everything.
func onlyPools(entries []audit.Entry, visible map[string]bool) []audit.Entry {
	if visible == nil {
		return entries
	}
	var out []audit.Entry
	for _, e := range entries {
		if e.Target.Pool == "" || visible[e.Target.Pool] {
			out = append(out, e)
		}
	}
	return out
}

// auditBreakGlass lists the newest break-glass runs in the pools whose audit
// the viewer may read here, from each pool's break-glass index.
func (b *Commands) auditBreakGlass(ctx context.Context, req *transport.Request, limit int) error {
	visible := b.auditablePools(ctx, req)
	render := func(rows []auditview.AuditEntryView, more bool) views.Message {
		for i := range rows {
			rows[i].Target = "" // the index, not a user: the message names the user
		}
		return auditview.AuditLog("break-glass runs", rows, more)
	}
	return b.showAudit(ctx, req, "", audit.Target{}, "break-glass runs", render,
		func(ctx context.Context, log pipeline.AuditReader) ([]audit.Entry, string, error) {
			var all []audit.Entry
			more := ""
			for _, p := range b.Cfg.Pools {
				if visible != nil && !visible[p.ID] {
					continue
				}
				entries, cursor, err := log.ByTarget(ctx, p.ID, flows.BreakGlassIndex, limit, "")
				if err != nil {
					return nil, "", err
				}
				all, more = append(all, entries...), cmp.Or(more, cursor)
			}
			slices.SortFunc(all, func(a, b audit.Entry) int { return b.Time.Compare(a.Time) })
			if len(all) > limit {
				all, more = all[:limit], "more"
			}
			return all, more, nil
		})
}
