package auditview

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// ActionIDAuditMore is the "More" button of a reason or ticket search; its value
// is the search's session id.
const ActionIDAuditMore = "audit:more"

// blockIDAuditMore is the block_id of that button's row.
const blockIDAuditMore = "audit_more"

// AuditSearchResults lists one page of a reason or ticket search, newest first;
// moreValue, when not empty, adds a "More" button that carries on the search.
func AuditSearchResults(subject string, entries []AuditEntryView, moreValue string) views.Message {
	msg := auditLog(views.UserText(subject, 200), entries, false)
	if len(entries) == 0 && moreValue != "" {
		msg.Blocks = append(msg.Blocks, views.ContextBlock("Nothing in the newest entries searched so far; *More* searches older ones."))
	}
	if moreValue != "" {
		msg.Blocks = append(msg.Blocks, slack.NewActionBlock(blockIDAuditMore, views.ViewButton(ActionIDAuditMore, "More", moreValue)))
	}
	return msg
}

// AuditVerifyView is the answer of audit verify.
type AuditVerifyView struct {
	// Since is where the check started.
	Since time.Time
	// Links, Entries and Outcomes are how many links were checked.
	Links, Entries, Outcomes int64
	// Breaks0 is how many breaks were found; Breaks lists the first few.
	Breaks0 int64
	Breaks  []AuditBreakView
	// Anchors are the newest anchors checked.
	Anchors []AuditAnchorView
	// BeforeChain counts entries written before the chain existed.
	BeforeChain             int64
	BeforeFirst, BeforeLast time.Time
}

// AuditBreakView is one break: the entry, its time, what is wrong.
type AuditBreakView struct {
	ID     string
	Time   time.Time
	Kind   string
	Detail string
}

// AuditAnchorView is one anchor found and checked.
type AuditAnchorView struct {
	ID     string
	Time   time.Time
	Digest string
	OK     bool
}

// AuditVerifyResult says whether the audit chain is intact and, if not, where it
// breaks, with the anchors checked so they can be compared with their posted copies.
func AuditVerifyResult(v AuditVerifyView) views.Message {
	verdict := "✅ *The audit chain is intact.*"
	if v.Breaks0 > 0 {
		verdict = fmt.Sprintf("❌ *The audit chain is broken:* %d %s found.", v.Breaks0, views.Pluralize(int(v.Breaks0), "break", "breaks"))
	}
	blocks := []slack.Block{
		views.HeaderBlock("Audit chain check"),
		views.SectionBlock(verdict),
		views.ContextBlock(fmt.Sprintf("Since %s · %d %s checked (%d entries, %d outcomes)",
			views.DateToken(v.Since), v.Links, views.Pluralize(int(v.Links), "link", "links"), v.Entries, v.Outcomes)),
	}
	if len(v.Breaks) > 0 {
		lines := make([]string, len(v.Breaks))
		for i, b := range v.Breaks {
			lines[i] = fmt.Sprintf("• %s · %s · *%s*: %s", views.CodeSpan(views.EscTrunc(b.ID, 120)), views.DateToken(b.Time), views.EscTrunc(b.Kind, 40), views.EscTrunc(b.Detail, 300))
		}
		blocks = append(blocks, views.PackLines(lines, 4, func(n int) string { return fmt.Sprintf("_…and %d more._", n) })...)
		if int64(len(v.Breaks)) < v.Breaks0 {
			blocks = append(blocks, views.ContextBlock(fmt.Sprintf("%d more not listed; `cognito-bot audit verify` lists every one.", v.Breaks0-int64(len(v.Breaks)))))
		}
	}
	if len(v.Anchors) > 0 {
		lines := make([]string, len(v.Anchors))
		for i, a := range v.Anchors {
			state := "matches the log"
			if !a.OK {
				state = "*does not match the log*"
			}
			lines[i] = fmt.Sprintf("• Anchor %s · digest %s · %s", views.DateToken(a.Time), views.CodeSpan(views.EscTrunc(a.Digest, 64)), state)
		}
		blocks = append(blocks, views.SectionBlock("*Newest anchors* (compare with the copies posted in the anchor channel):\n"+strings.Join(lines, "\n")))
	}
	if v.BeforeChain > 0 {
		blocks = append(blocks, views.ContextBlock(fmt.Sprintf("%d %s from before the chain (%s to %s) cannot be checked.",
			v.BeforeChain, views.Pluralize(int(v.BeforeChain), "entry", "entries"), views.DateToken(v.BeforeFirst), views.DateToken(v.BeforeLast))))
	}
	text := "The audit chain is intact."
	if v.Breaks0 > 0 {
		text = fmt.Sprintf("The audit chain is broken: %d breaks.", v.Breaks0)
	}
	return views.Message{Text: views.FallbackText(text), Blocks: blocks}
}

// AnchorView is an anchor as posted to the anchor channel.
type AnchorView struct {
	ID     string
	Time   time.Time
	Digest string
	// Chains is how many chains it covers.
	Chains int
}

// AnchorPosted is the anchor channel's copy of an anchor: a rewrite of the audit
// table cannot change it, so `audit verify --anchor DIGEST` checks the log against it.
func AnchorPosted(a AnchorView) views.Message {
	blocks := []slack.Block{
		views.SectionBlock(fmt.Sprintf("🔗 *Audit anchor* %s\nDigest %s over %d %s.", views.DateToken(a.Time), views.CodeSpan(views.EscTrunc(a.Digest, 64)),
			a.Chains, views.Pluralize(a.Chains, "chain head", "chain heads"))),
		views.ContextBlock(fmt.Sprintf("Check the log against it: %s", views.CodeSpan("cognito-bot audit verify --anchor "+views.EscTrunc(a.Digest, 64)))),
	}
	return views.Message{Text: views.FallbackText("Audit anchor " + a.Digest), Blocks: blocks}
}
