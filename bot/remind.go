package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// phaseRemind is the audit phase of an approval reminder.
const phaseRemind = "remind"

// remindApprovers nudges the approvers of every approval waiting past half
// its time, once: a thread reply on the card naming them. Every replica's
// sweep calls it; a conditional write (Once) lets one send each reminder.
func (b *Bot) remindApprovers(ctx context.Context) {
	waiting, err := b.state.WaitingPending(ctx, 100)
	if err != nil {
		b.log.Warn("listing requests waiting for approval", zap.Error(err))
		return
	}
	now := b.now()
	for _, p := range waiting {
		if p.Kind != kindApproval || p.CardTS == "" || !remindDue(p, now) {
			continue
		}
		first, err := b.state.Once(ctx, phaseRemind+"#"+p.ID, p.ExpiresAt.Sub(now)+24*time.Hour)
		if err != nil {
			b.log.Warn("claiming an approval reminder", zap.String("pending_id", p.ID), zap.Error(err))
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
func (b *Bot) remind(ctx context.Context, p audit.Pending) {
	action := actions.Action(p.Action)
	if isJobApproval(p) {
		action = actions.Bulk
	}
	who := "Approvers"
	if rule, ok := b.approvalRuleOf(action, p.Params["pool_name"]); ok {
		who = mentions(rule.Approvers)
	}
	text := "⏰ Reminder: " + who + ", this request from <@" + p.Requester.UserID + "> is still waiting for a decision; it expires " +
		dateMrkdwn(p.ExpiresAt) + "."
	b.threadNote(ctx, p.CardChannel, p.CardTS, text)
	b.note(ctx, &request{Actor: p.Requester, Channel: p.Channel}, p, phaseRemind, "approvers reminded")
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
