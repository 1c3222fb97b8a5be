package flows

import (
	"context"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// phaseRemind is the audit phase of an approval reminder.
const phaseRemind pipeline.Phase = "remind"

// remindApprovers nudges the approvers of every approval waiting past half
// its time, once: a thread reply on the card naming them. Every replica's
// sweep calls it; a conditional write (Once) lets one send each reminder.
func (b *Flows) remindApprovers(ctx context.Context) {
	waiting, err := b.State.WaitingPending(ctx, 100)
	if err != nil {
		b.Log.Warn("listing requests waiting for approval", zap.Error(err))
		return
	}
	now := b.Now()
	for _, p := range waiting {
		if p.Kind != KindApproval || p.CardTS == "" || !now.Before(p.ExpiresAt) {
			continue
		}
		b.escalate(ctx, p, now)
		if !remindDue(p, now) {
			continue
		}
		first, err := b.State.Once(ctx, auditid.ForPending(string(phaseRemind), p.ID), p.ExpiresAt.Sub(now)+24*time.Hour)
		if err != nil {
			b.Log.Warn("claiming an approval reminder", zap.String("pending_id", p.ID), zap.Error(err))
			continue
		}
		if first {
			b.remind(ctx, p)
		}
	}
}

// remindDue reports whether p has waited half its time and not run out.
func remindDue(p audit.Pending, now time.Time) bool {
	half := p.CreatedAt.Add(p.ExpiresAt.Sub(p.CreatedAt) / 2)
	return !now.Before(half) && now.Before(p.ExpiresAt)
}

// remind posts the reminder under the approval card and notes it in the audit log.
func (b *Flows) remind(ctx context.Context, p audit.Pending) {
	action := ruleAction(p)
	who := "Approvers"
	if rule, ok := b.approvalRuleOf(action, p.Pool); ok {
		who = mentions(rule.Approvers)
	}
	text := "⏰ Reminder: " + who + ", this request from <@" + p.Requester.UserID + "> is still waiting for a decision; it expires " +
		dateMrkdwn(p.ExpiresAt) + "."
	b.ThreadNote(ctx, p.CardChannel, p.CardTS, text)
	b.note(ctx, &transport.Request{Actor: p.Requester, Channel: p.Channel}, p, phaseRemind, "approvers reminded")
}

// mentions renders configured principals: users as @mentions, user groups as
// group mentions.
func mentions(ids []string) string {
	var out []string
	for _, id := range ids {
		switch {
		case strings.HasPrefix(id, "S"):
			out = append(out, "<!subteam^"+id+">")
		case id != "":
			out = append(out, "<@"+id+">")
		}
	}
	if len(out) == 0 {
		return "Approvers"
	}
	return strings.Join(out, " ")
}

// dateMrkdwn is a Slack date token that reads in each viewer's own time zone.
func dateMrkdwn(t time.Time) string {
	return "<!date^" + strconv.FormatInt(t.Unix(), 10) + "^{date_short_pretty} {time}|" + t.UTC().Format("2006-01-02 15:04 UTC") + ">"
}

// escalate adds the rule's escalate_to to the approvers of p once it has
// waited escalate_after (the mark is what the policy reads), and tells them
// once: a thread reply on the card and a DM each.
func (b *Flows) escalate(ctx context.Context, p audit.Pending, now time.Time) {
	rule, ok := b.approvalRuleOf(ruleAction(p), p.Pool)
	if !ok || rule.EscalateAfter <= 0 || len(rule.EscalateTo) == 0 || now.Before(p.CreatedAt.Add(rule.EscalateAfter.Std())) {
		return
	}
	if !p.Escalated {
		if err := b.State.MarkEscalated(ctx, p.ID); err != nil {
			b.Log.Warn("escalating an approval", zap.String("pending_id", p.ID), zap.Error(err))
			return
		}
	}
	first, err := b.State.Once(ctx, auditid.ForPending("escalate", p.ID), p.ExpiresAt.Sub(now)+24*time.Hour)
	if err != nil || !first {
		return
	}
	text := "⏫ Escalated: " + mentions(rule.EscalateTo) + ", this request from <@" + p.Requester.UserID +
		"> has waited past " + HumanDuration(rule.EscalateAfter.Std()) + "; you may approve or reject it too. It expires " + dateMrkdwn(p.ExpiresAt) + "."
	b.ThreadNote(ctx, p.CardChannel, p.CardTS, text)
	for _, id := range b.approverIDs(ctx, rule.EscalateTo) {
		if err := b.DM(ctx, id, views.TrustedNotice(text+" The card is in <#"+p.CardChannel+">.")); err != nil {
			b.Log.Warn("telling an escalation approver", zap.String("slack_user_id", id), zap.Error(err))
		}
	}
	b.note(ctx, &transport.Request{Actor: p.Requester, Channel: p.Channel}, p, phaseEscalate, "escalated to "+strings.Join(rule.EscalateTo, ", "))
}

// ruleAction is the action whose approval rule guards p (a bulk job's own
// action's, when it has one, else bulk's).
func ruleAction(p audit.Pending) actions.Action {
	if !IsJobApproval(p) {
		return p.Action
	}
	return actions.Bulk
}
