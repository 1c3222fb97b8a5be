package sandbox

import (
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// messagesHTML renders what viewer sees in a channel, as a Slack client lays it
// out: top-level messages in order, each followed by its thread replies.
func (r *renderer) messagesHTML(msgs []slackemu.Message, viewer string) string {
	replies := map[string][]slackemu.Message{}
	var top []slackemu.Message
	for _, m := range msgs {
		if m.ThreadTS != "" && m.ThreadTS != m.TS {
			replies[m.ThreadTS] = append(replies[m.ThreadTS], m)
			continue
		}
		top = append(top, m)
	}
	if len(top) == 0 {
		return `<div class="empty">No messages yet. Type a command below, e.g. <code>/cognito lookup alice</code>.</div>`
	}
	var b strings.Builder
	for _, m := range top {
		b.WriteString(`<div class="msg-group">`)
		b.WriteString(r.message(m, viewer, false))
		if rs := replies[m.TS]; len(rs) > 0 {
			b.WriteString(`<div class="thread"><div class="thread-count">` + replyCount(len(rs)) + `</div>`)
			for _, reply := range rs {
				b.WriteString(r.message(reply, viewer, true))
			}
			b.WriteString(`</div>`)
		}
		b.WriteString(`</div>`)
	}
	return b.String()
}

func replyCount(n int) string {
	if n == 1 {
		return "1 reply"
	}
	return strconv.Itoa(n) + " replies"
}

// message renders one message with its author line, body and markers.
func (r *renderer) message(m slackemu.Message, viewer string, reply bool) string {
	author, avatar, app := "cognito-bot", "CB", `<span class="app-badge">APP</span>`
	if m.Author == slackemu.SlackbotUserID {
		author, avatar, app = "Slackbot", "SB", ""
	}
	class := "msg"
	if m.Ephemeral {
		class += " ephemeral"
	}
	if reply {
		class += " reply"
	}
	var b strings.Builder
	b.WriteString(`<div class="` + class + `" data-ts="` + html.EscapeString(m.TS) + `" data-channel="` + html.EscapeString(m.Channel) + `">`)
	if m.Ephemeral {
		b.WriteString(`<div class="only-you">Only visible to you</div>`)
	}
	b.WriteString(`<div class="msg-row"><div class="avatar">` + avatar + `</div><div class="msg-main">`)
	b.WriteString(`<div class="msg-head"><span class="author">` + author + `</span>` + app +
		`<time class="msg-time" title="` + html.EscapeString(m.Posted.In(r.loc).Format(time.RFC1123)) + `">` + m.Posted.In(r.loc).Format("3:04 PM") + `</time>`)
	if m.Updated > 0 && !m.Ephemeral {
		b.WriteString(`<span class="edited">(edited)</span>`)
	}
	b.WriteString(`</div><div class="msg-body">`)
	if len(m.Blocks) > 0 && string(m.Blocks) != "null" {
		b.WriteString(r.blocks(m.Blocks, inMessage))
	} else {
		b.WriteString(`<div class="bk-text">` + r.mrkdwn(m.Text, false) + `</div>`)
	}
	b.WriteString(`</div></div></div></div>`)
	return b.String()
}

// modalHTML renders a modal view as the Slack client shows it.
func (r *renderer) modalHTML(v slackemu.View) string {
	var view struct {
		Title, Submit, Close map[string]any
	}
	_ = jsonUnmarshal(v.JSON, &view)
	closeLabel := "Cancel"
	if view.Close != nil {
		closeLabel = r.text(view.Close)
	}
	var b strings.Builder
	b.WriteString(`<form class="modal" data-view-id="` + html.EscapeString(v.ID) + `">`)
	b.WriteString(`<div class="modal-head"><span class="modal-title">` + r.text(view.Title) + `</span><button type="button" class="modal-x" data-modal="close" aria-label="Close">✕</button></div>`)
	b.WriteString(`<div class="modal-body">` + r.blocks(v.Blocks, inModal) + `</div>`)
	if len(v.Errors) > 0 {
		b.WriteString(`<div class="modal-errors" hidden>`)
		for block, msg := range v.Errors {
			b.WriteString(`<span data-error-block="` + html.EscapeString(block) + `">` + html.EscapeString(msg) + `</span>`)
		}
		b.WriteString(`</div>`)
	}
	b.WriteString(`<div class="modal-foot"><button type="button" class="bk-button" data-modal="close">` + closeLabel + `</button>`)
	if view.Submit != nil {
		b.WriteString(`<button type="submit" class="bk-button bk-primary">` + r.text(view.Submit) + `</button>`)
	}
	b.WriteString(`</div></form>`)
	return b.String()
}

// auditHTML renders the newest audit entries, one row each.
func (r *renderer) auditHTML(entries []audit.Entry) string {
	if len(entries) == 0 {
		return `<div class="empty">Nothing audited yet. Every command and click writes an entry here, allowed or denied.</div>`
	}
	var b strings.Builder
	for _, e := range entries {
		outcome, class := string(e.Outcome), "ok"
		switch {
		case e.Decision == audit.Denied:
			outcome, class = "denied", "denied"
		case e.Outcome == audit.OutcomeError:
			class = "error"
		case e.Outcome == audit.OutcomePending:
			class = "pending"
		}
		actor := e.Actor.UserID
		if p, ok := personaByID(actor); ok {
			actor = p.Name
		}
		target := e.Target.Username
		b.WriteString(`<div class="audit-entry ` + class + `" data-action="` + html.EscapeString(e.Action) + `" data-target="` + html.EscapeString(target) + `" data-outcome="` + html.EscapeString(outcome) + `">`)
		b.WriteString(`<div class="audit-line"><time>` + e.Time.In(r.loc).Format("15:04:05") + `</time> <b>` + html.EscapeString(actor) + `</b> ` +
			html.EscapeString(e.Action))
		if target != "" {
			b.WriteString(` <span class="audit-target">` + html.EscapeString(target) + `</span>`)
		}
		b.WriteString(` <span class="audit-outcome ` + class + `">` + html.EscapeString(outcome) + `</span></div>`)
		var detail []string
		if e.DenyReason != "" {
			detail = append(detail, e.DenyReason)
		}
		if e.Reason != "" {
			detail = append(detail, "reason: "+e.Reason)
		}
		if e.Message != "" && (e.DenyReason == "" || !strings.Contains(e.Message, e.DenyReason)) {
			detail = append(detail, e.Message)
		}
		if e.ApprovalID != "" {
			detail = append(detail, "approval "+e.ApprovalID)
		}
		if len(detail) > 0 {
			b.WriteString(`<div class="audit-detail">` + html.EscapeString(strings.Join(detail, " · ")) + `</div>`)
		}
		b.WriteString(`<div class="audit-id">` + html.EscapeString(e.ID) + `</div></div>`)
	}
	return b.String()
}

// homeHTML renders the persona's Home tab as the bot last published it; its
// buttons are clicked like a message's, from the "HOME" pseudo-channel.
func (r *renderer) homeHTML(v slackemu.View, ok bool) string {
	if !ok {
		return `<div class="empty">Opening the Home tab…</div>`
	}
	return `<div class="msg home" data-channel="` + ChannelHome + `" data-ts="">` + r.blocks(v.Blocks, inMessage) + `</div>`
}
