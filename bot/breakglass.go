package bot

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// breakGlassArg marks a request that skips its approval by breaking glass; it
// is kept with the request's args, so every audit entry of it says so.
const breakGlassArg = "break-glass"

// breakGlassIndex is the target username under which every break-glass run
// is also noted, per pool, so `audit --break-glass` can list them: it has a
// space, which no Cognito username can.
const breakGlassIndex = "break glass"

// boolFlagsOf are the --flags without a value a single-user action takes.
func boolFlagsOf(spec actions.Spec) []string {
	return append([]string{breakGlassArg}, spec.Flags...)
}

// isBreakGlass reports whether a pending action was requested with --break-glass.
func isBreakGlass(p audit.Pending) bool { return p.Params["arg."+breakGlassArg] == "true" }

// breakGlass decides a --break-glass request that needs approval: the action
// is authorized as always; then the rule (config.DecideBreakGlass) asks for a
// reason and a role allowing break-glass. Refused, the requester gets the
// sentence and the refusal is audited; ok is false and nothing changes.
func (b *Bot) breakGlass(ctx context.Context, req *request, ar *actionRequest) bool {
	d := b.breakGlassDecision(ctx, req.Actor, req.Channel, ar.spec.Action, ar.pool.Name, ar.reason)
	if !d.Allowed {
		b.pipe.Refuse(ctx, req.pipe(), pipeline.Step{AuditID: "glass#" + hashKey(req.Ref), Action: ar.spec.Action, Pool: ar.pool.Name,
			Target: ar.target.auditTarget(ar.pool), Reason: ar.reason, Params: map[string]string{"phase": "break-glass"}}, d.Reason)
		b.reply(ctx, req, views.Notice("Nothing was done: "+d.Reason+"."), replyEphemeral)
		return false
	}
	return true
}

// breakGlassDecision asks the policy which roles grant actor the action here
// and applies the break-glass rule to them.
func (b *Bot) breakGlassDecision(ctx context.Context, actor audit.Actor, channel string, action actions.Action, pool, reason string) config.BreakGlassDecision {
	allow := b.policy.Allow(ctx, pipeline.PolicyActor(actor), action, channel, pool)
	if !allow.Allowed {
		return config.BreakGlassDecision{Reason: allow.Reason}
	}
	return b.cfg.DecideBreakGlass(allow.Roles, reason)
}

// breakGlassStill reports whether a confirmed break-glass request may still
// skip its approval: its requester must still hold a role allowing it.
func (b *Bot) breakGlassStill(ctx context.Context, p audit.Pending) bool {
	return isBreakGlass(p) && b.breakGlassDecision(ctx, p.Requester, p.Channel, actions.Action(p.Action), p.Params["pool_name"], p.Reason).Allowed
}

// announceBreakGlass tells the approvers loudly what ran without them: a
// notice in the rule's approvals channel and a DM to every approver of the
// rule (user groups expanded), and notes it under the pool's break-glass
// index for `audit --break-glass`.
func (b *Bot) announceBreakGlass(ctx context.Context, p audit.Pending, pool config.Pool, res pipeline.Result, err error) {
	outcome := res.Summary
	if err != nil {
		outcome = "failed: " + b.userMessage(err, nil, p.Action)
	}
	text := "🚨 *BREAK-GLASS* — <@" + p.Requester.UserID + "> ran *" + views.Escape(p.Action) + "* on *" + views.Escape(p.Target.Username) +
		"* in *" + views.Escape(pool.Name) + "* without approval.\n*Reason:* " + views.Escape(p.Reason) + "\n*Outcome:* " + views.Escape(outcome)
	msg := views.TrustedNotice(text)
	if rule, ok := b.cfg.ApprovalFor(actions.Action(p.Action), pool.Name); ok {
		if _, _, perr := b.slack.PostMessageContext(ctx, rule.Channel, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)); perr != nil {
			b.log.Error("posting the break-glass notice", zap.String("channel_id", rule.Channel), zap.Error(perr))
		}
		for _, id := range b.approverIDs(ctx, rule.Approvers) {
			if id == p.Requester.UserID {
				continue
			}
			if derr := b.dm(ctx, id, msg); derr != nil {
				b.log.Warn("telling an approver about break-glass", zap.String("slack_user_id", id), zap.Error(derr))
			}
		}
	}
	step := pendingStep(p, "break-glass")
	step.Target = audit.Target{Pool: pool.ID, Username: breakGlassIndex}
	step.Params["user"], step.Params["entry"] = p.Target.Username, "exec#"+p.ID
	b.pipe.Note(ctx, pipeline.Request{Actor: p.Requester, Channel: p.Channel}, step,
		"break-glass "+p.Action+" of "+p.Target.Username+": "+truncateText(outcome, 300))
}

// approverIDs expands configured approvers to user ids, user groups through
// Slack; a group that cannot be read is skipped (the channel notice names it).
func (b *Bot) approverIDs(ctx context.Context, principals []string) []string {
	var out []string
	for _, id := range principals {
		if !strings.HasPrefix(id, "S") {
			out = append(out, id)
			continue
		}
		members, err := b.slack.GetUserGroupMembersContext(ctx, id)
		if err != nil {
			b.log.Warn("reading an approvers' user group", zap.String("group", id), zap.Error(err))
			continue
		}
		out = append(out, members...)
	}
	return out
}

func truncateText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// auditBreakGlass lists the newest break-glass runs in the pools whose audit
// the viewer may read here, from each pool's break-glass index.
func (b *Bot) auditBreakGlass(ctx context.Context, req *request, limit int) error {
	visible := b.auditablePools(ctx, req)
	render := func(rows []views.AuditEntryView, more bool) views.Message {
		for i := range rows {
			rows[i].Target = "" // the index, not a user: the message names the user
		}
		return views.AuditLog("break-glass runs", rows, more)
	}
	return b.showAudit(ctx, req, "", audit.Target{}, "break-glass runs", render,
		func(ctx context.Context, log pipeline.AuditReader) ([]audit.Entry, string, error) {
			var all []audit.Entry
			more := ""
			for _, p := range b.cfg.Pools {
				if visible != nil && !visible[p.ID] {
					continue
				}
				entries, cursor, err := log.ByTarget(ctx, p.ID, breakGlassIndex, limit, "")
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
