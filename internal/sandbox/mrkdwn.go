package sandbox

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"
)

// Names resolves Slack IDs to the names a Slack client shows for mentions.
type Names struct {
	// User returns the display name for a user ID ("" when unknown).
	User func(id string) string
	// Channel returns the name for a channel ID ("" when unknown).
	Channel func(id string) string
}

// renderer turns Block Kit and mrkdwn into HTML. Now and Loc decide how
// <!date^…> tokens read ("Today", "Yesterday", local time).
type renderer struct {
	names Names
	now   time.Time
	loc   *time.Location
}

// plain renders a plain_text string: escaped, emoji shortcodes replaced.
func (r *renderer) plain(s string, emoji bool) string {
	if emoji {
		s = replaceEmoji(s)
	}
	return strings.ReplaceAll(html.EscapeString(s), "\n", "<br>")
}

// entities are the only three Slack escapes in message text.
var entityDecoder = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// codeBlock and inlineCode split text into code and prose; tokens match <…>.
var (
	codeBlock  = regexp.MustCompile("(?s)```(.*?)```")
	inlineCode = regexp.MustCompile("`([^`\n]+)`")
	slackToken = regexp.MustCompile(`<([^<>\n]*)>`)
	bareURL    = regexp.MustCompile(`\bhttps?://[^\s<>"]+[^\s<>".,;:!?)]`)
)

// mrkdwn renders Slack mrkdwn as Slack does: <…> tokens (links, mentions,
// dates, broadcasts), the &amp; &lt; &gt; escapes, *bold*, _italic_, ~strike~,
// `code`, ```blocks```, "> " quotes and line breaks. Unless verbatim, bare
// URLs become links too.
func (r *renderer) mrkdwn(s string, verbatim bool) string {
	var b strings.Builder
	last := 0
	for _, m := range codeBlock.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(r.lines(s[last:m[0]], verbatim))
		code := strings.Trim(s[m[2]:m[3]], "\n")
		b.WriteString(`<pre class="bk-pre">` + html.EscapeString(entityDecoder.Replace(code)) + `</pre>`)
		last = m[1]
	}
	b.WriteString(r.lines(s[last:], verbatim))
	return b.String()
}

// lines renders prose line by line so that quotes can start a line.
func (r *renderer) lines(s string, verbatim bool) string {
	if s == "" {
		return ""
	}
	parts := strings.Split(s, "\n")
	var b strings.Builder
	inQuote := false
	for i, line := range parts {
		quote := false
		for _, p := range []string{"&gt; ", ">", "&gt;"} {
			if strings.HasPrefix(line, p) {
				quote, line = true, strings.TrimPrefix(strings.TrimPrefix(line, p), " ")
				break
			}
		}
		if quote && !inQuote {
			b.WriteString(`<blockquote class="bk-quote">`)
		}
		if !quote && inQuote {
			b.WriteString(`</blockquote>`)
		}
		if i > 0 && !(quote && !inQuote) && !(!quote && inQuote) {
			b.WriteString("<br>")
		}
		inQuote = quote
		b.WriteString(r.inline(line, verbatim))
	}
	if inQuote {
		b.WriteString(`</blockquote>`)
	}
	return b.String()
}

// inline renders one line: code spans stay literal, the rest is formatted.
func (r *renderer) inline(s string, verbatim bool) string {
	var b strings.Builder
	last := 0
	for _, m := range inlineCode.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(r.prose(s[last:m[0]], verbatim))
		b.WriteString(`<code class="bk-code">` + html.EscapeString(entityDecoder.Replace(s[m[2]:m[3]])) + `</code>`)
		last = m[1]
	}
	b.WriteString(r.prose(s[last:], verbatim))
	return b.String()
}

// prose replaces <…> tokens with placeholders, escapes and formats the rest,
// then puts the rendered tokens back, so token text is never re-formatted.
func (r *renderer) prose(s string, verbatim bool) string {
	var tokens []string
	hold := func(h string) string {
		tokens = append(tokens, h)
		return fmt.Sprintf("\x00%d\x00", len(tokens)-1)
	}
	s = slackToken.ReplaceAllStringFunc(s, func(t string) string { return hold(r.token(t[1 : len(t)-1])) })
	s = replaceEmoji(entityDecoder.Replace(s))
	if !verbatim {
		s = bareURL.ReplaceAllStringFunc(s, func(u string) string {
			return hold(`<a class="bk-link" href="` + html.EscapeString(u) + `" target="_blank" rel="noopener">` + html.EscapeString(u) + `</a>`)
		})
	}
	out := formatMarks(html.EscapeString(s))
	for i, t := range tokens {
		out = strings.Replace(out, fmt.Sprintf("\x00%d\x00", i), t, 1)
	}
	return out
}

// token renders the inside of one <…> construct.
func (r *renderer) token(t string) string {
	body, label, hasLabel := strings.Cut(t, "|")
	label = entityDecoder.Replace(label)
	mention := func(class, text string) string {
		return `<span class="` + class + `">` + html.EscapeString(text) + `</span>`
	}
	switch {
	case strings.HasPrefix(body, "@U") || strings.HasPrefix(body, "@W"):
		name := r.lookup(r.names.User, body[1:])
		if name == "" {
			name = body[1:]
		}
		return mention("bk-mention", "@"+name)
	case strings.HasPrefix(body, "#C") || strings.HasPrefix(body, "#G"):
		name := label
		if name == "" {
			name = r.lookup(r.names.Channel, body[1:])
		}
		if name == "" {
			name = body[1:]
		}
		return mention("bk-mention", "#"+name)
	case strings.HasPrefix(body, "!subteam^"):
		if !hasLabel {
			label = "@" + strings.TrimPrefix(body, "!subteam^")
		}
		return mention("bk-mention", label)
	case body == "!here" || body == "!channel" || body == "!everyone":
		return mention("bk-mention bk-broadcast", "@"+body[1:])
	case strings.HasPrefix(body, "!date^"):
		return r.date(body, label)
	case strings.HasPrefix(body, "!"):
		if hasLabel {
			return html.EscapeString(label)
		}
		return html.EscapeString("<" + entityDecoder.Replace(t) + ">")
	}
	href := entityDecoder.Replace(body)
	if !hasLabel {
		label = href
	}
	if !safeURL(href) {
		return html.EscapeString(label)
	}
	return `<a class="bk-link" href="` + html.EscapeString(href) + `" target="_blank" rel="noopener">` + html.EscapeString(label) + `</a>`
}

func (r *renderer) lookup(f func(string) string, id string) string {
	if f == nil {
		return ""
	}
	return f(id)
}

// safeURL reports whether a link target is one a Slack client would open.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "mailto:")
}
