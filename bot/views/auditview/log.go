package auditview

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// AuditEntryView is one audit-log entry as the audit view shows it.
type AuditEntryView struct {
	Time   time.Time
	Actor  views.ActorView
	Action string
	Target string
	Pool   string
	// Decision is the policy decision, e.g. "allowed" or "denied".
	Decision string
	// Outcome is how the action ended, e.g. "ok" or "error"; empty if it did
	// not run.
	Outcome string
	// Message is the outcome detail (e.g. an error text).
	Message string
	// Reason is the requester's stated reason.
	Reason string
	// DenyReason says why policy denied the action.
	DenyReason string
	// Tickets links the ticket ids in Reason.
	Tickets views.Tickets
}

// AuditLog lists audit entries for subject, newest first, one compact line
// each. hasMore adds a hint that --limit shows more.
func AuditLog(subject string, entries []AuditEntryView, hasMore bool) views.Message {
	return auditLog(views.CodeSpan(views.EscTrunc(views.OrDash(subject), 200)), entries, hasMore)
}

// ActorAuditLog lists the entries of what actor did (audit --actor), titled
// with a mention so Slack shows their name; an ID that is not a Slack ID is
// shown escaped.
func ActorAuditLog(actor views.ActorView, entries []AuditEntryView, hasMore bool) views.Message {
	return auditLog("actions by "+actor.Mention(), entries, hasMore)
}

// auditLog renders the list; subj is already safe mrkdwn.
func auditLog(subj string, entries []AuditEntryView, hasMore bool) views.Message {
	sorted := append([]AuditEntryView(nil), entries...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Time.After(sorted[j].Time) })

	blocks := []slack.Block{views.HeaderBlock("Audit log")}
	summary := fmt.Sprintf("For %s · %d %s, newest first", subj, len(sorted), views.Pluralize(len(sorted), "entry", "entries"))
	blocks = append(blocks, views.ContextBlock(summary))
	if len(sorted) == 0 {
		blocks = append(blocks, views.SectionBlock("No audit entries for "+subj+"."))
	} else {
		lines := make([]string, len(sorted))
		for i, e := range sorted {
			lines[i] = auditLine(e)
		}
		blocks = append(blocks, views.PackLines(lines, views.MaxBlocks-4, func(n int) string {
			return fmt.Sprintf("_…and %d older %s not shown._", n, views.Pluralize(n, "entry", "entries"))
		})...)
	}
	if hasMore {
		blocks = append(blocks, views.ContextBlock("(more entries exist; use `--limit`)"))
	}
	return views.Message{
		Text:   views.FallbackText(fmt.Sprintf("Audit log for %s: %d %s", subj, len(sorted), views.Pluralize(len(sorted), "entry", "entries"))),
		Blocks: blocks,
	}
}

// auditLine renders one entry:
// "• <date> · <@U1> · *disable* `alice` in prod · _allowed_ · ✅ ok · reason: …".
func auditLine(e AuditEntryView) string {
	what := "*" + views.EscTrunc(views.OrDash(e.Action), 40) + "*"
	if e.Target != "" {
		what += " " + views.CodeSpan(views.EscTrunc(e.Target, 100))
	}
	if e.Pool != "" {
		what += " in " + views.EscTrunc(e.Pool, 60)
	}
	parts := []string{views.DateToken(e.Time), e.Actor.Mention(), what}
	if e.Decision != "" {
		d := "_" + views.EscTrunc(e.Decision, 30) + "_"
		if e.DenyReason != "" {
			d += ": " + views.EscTrunc(e.DenyReason, 200)
		}
		parts = append(parts, d)
	}
	if e.Outcome != "" || e.Message != "" {
		o := outcomeMark(e.Outcome) + views.EscTrunc(e.Outcome, 30)
		if e.Message != "" {
			o = strings.TrimSpace(o + " " + views.EscTrunc(e.Message, 200))
		}
		parts = append(parts, o)
	}
	if e.Reason != "" {
		parts = append(parts, "reason: "+e.Tickets.Reason(e.Reason, 200))
	}
	return "• " + strings.Join(parts, " · ")
}

// outcomeMark is an emoji for well-known outcomes, or "".
func outcomeMark(outcome string) string {
	switch strings.ToLower(outcome) {
	case "ok", "success", "succeeded":
		return "✅ "
	case "error", "failed", "failure":
		return "❌ "
	default:
		return ""
	}
}
