package flows

import (
	"context"
	"slices"
	"strings"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// BreakGlassArg marks a request that skips its approval by breaking glass; it
// is kept with the request's args, so every audit entry of it says so.
const BreakGlassArg = "break-glass"

// BreakGlassIndex is the target username under which every break-glass run
// is also noted, per pool, so `audit --break-glass` can list them: it has a
// space, which no Cognito username can.
const BreakGlassIndex = "break glass"

// BoolFlagsOf are the --flags without a value a single-user action takes.
func BoolFlagsOf(spec actions.Spec) []string {
	return append([]string{BreakGlassArg}, spec.Flags...)
}

// IsBreakGlass reports whether a pending action was requested with --break-glass.
func IsBreakGlass(p audit.Pending) bool { return p.Params["arg."+BreakGlassArg] == "true" }

// PendingCheck is the policy's re-check of a pending request on the user as
// they are just before the operation; a break-glass request is re-checked as
// one (its requester must still be allowed to break glass).
func (b *Flows) PendingCheck(ctx context.Context, p audit.Pending, pool config.Pool, a actions.Action) func(context.Context, *cognito.User) string {
	args := ArgsOf(p.Params)
	if !IsBreakGlass(p) {
		return b.ExecuteCheck(ctx, p.Requester, p.Channel, pool.Name, a, args, p.Kind == KindApproval)
	}
	who := b.Policy.Resolve(ctx, pipeline.PolicyActor(p.Requester))
	return func(ctx context.Context, u *cognito.User) string {
		d := b.Policy.Decide(ctx, who, policy.Request{
			Stage: policy.Run, Action: a, Channel: p.Channel, Pool: pool.Name, TargetGroups: slices.Clone(u.Groups),
			AddGroups: AddedGroups(a, args), Verified: Verifies(a, args), Execute: true,
			BreakGlass: true, HasReason: p.Reason != "",
		})
		if d.Allowed() {
			return ""
		}
		return d.Reason
	}
}

// approvalRuleOf is the approval rule that guards action on the pool named
// pool, as the policy reads the configuration.
func (b *Flows) approvalRuleOf(action actions.Action, pool string) (config.ApprovalRule, bool) {
	return b.Policy.ApprovalFor(action, pool)
}

// AnnounceBreakGlass tells the approvers loudly what ran without them: a
// notice in the rule's approvals channel and a DM to every approver of the
// rule (user groups expanded), and notes it under the pool's break-glass
// index for `audit --break-glass`.
func (b *Flows) AnnounceBreakGlass(ctx context.Context, p audit.Pending, pool config.Pool, res pipeline.Result, err error) {
	outcome := res.Summary
	if err != nil {
		outcome = "failed: " + b.UserMessage(err, nil, string(p.Action))
	}
	b.announceBreakGlass(ctx, p, pool, "ran", outcome, auditid.ForPending(string(phaseBreakGlass), p.ID), auditid.ForExec(p.ID))
}

// AnnounceScheduledBreakGlass tells the approvers, as loudly, how a
// break-glass request scheduled with --at ended at its time: they heard when
// it was scheduled (AnnounceBreakGlass, whose outcome said when it would
// run), not yet what it did then — ran, failed, or was called off (its
// requester no longer allowed to break glass, say). The index note points
// at the schedule's run entry (runEntry); scheduleID keeps the note apart
// from the one written when it was scheduled.
func (b *Flows) AnnounceScheduledBreakGlass(ctx context.Context, p audit.Pending, pool config.Pool, scheduleID, runEntry, outcome string) {
	b.announceBreakGlass(ctx, p, pool, "scheduled", "at its time: "+outcome, auditid.ForSchedule(auditid.ScheduleBreakGlass, scheduleID), runEntry)
}

// announceBreakGlass posts the notice, DMs the approvers and writes the
// index note noteID, which points at the audit entry of the run, entry.
func (b *Flows) announceBreakGlass(ctx context.Context, p audit.Pending, pool config.Pool, did, outcome, noteID, entry string) {
	text := "🚨 *BREAK-GLASS* — <@" + p.Requester.UserID + "> " + did + " *" + views.Escape(string(p.Action)) + "* on *" + views.Escape(p.Target.Username) +
		"* in *" + views.Escape(pool.Name) + "* without approval.\n*Reason:* " + views.Escape(p.Reason) + "\n*Outcome:* " + views.Escape(outcome)
	msg := views.TrustedNotice(text)
	if rule, ok := b.approvalRuleOf(p.Action, pool.Name); ok {
		if _, _, perr := b.Slack.PostMessageContext(ctx, rule.Channel, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)); perr != nil {
			b.Log.Error("posting the break-glass notice", zap.String("channel_id", rule.Channel), zap.Error(perr))
		}
		for _, id := range b.approverIDs(ctx, rule.Approvers) {
			if id == p.Requester.UserID {
				continue
			}
			if derr := b.DM(ctx, id, msg); derr != nil {
				b.Log.Warn("telling an approver about break-glass", zap.String("slack_user_id", id), zap.Error(derr))
			}
		}
	}
	step := PendingStep(p, phaseBreakGlass)
	step.AuditID = noteID
	step.Target = audit.Target{Pool: pool.ID, Username: BreakGlassIndex}
	step.Params["user"], step.Params["entry"] = p.Target.Username, entry
	b.Pipe.Note(ctx, pipeline.Request{Actor: p.Requester, Channel: p.Channel}, step,
		"break-glass "+string(p.Action)+" of "+p.Target.Username+": "+truncateText(outcome, 300))
}

// approverIDs expands configured approvers to user ids, user groups through
// Slack; a group that cannot be read is skipped (the channel notice names it).
func (b *Flows) approverIDs(ctx context.Context, principals []string) []string {
	var out []string
	for _, id := range principals {
		if !strings.HasPrefix(id, "S") {
			out = append(out, id)
			continue
		}
		members, err := b.Slack.GetUserGroupMembersContext(ctx, id)
		if err != nil {
			b.Log.Warn("reading an approvers' user group", zap.String("group", id), zap.Error(err))
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
