package sandbox

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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

// date renders <!date^epoch^format[^link]|fallback> in the viewer's time zone.
func (r *renderer) date(body, fallback string) string {
	parts := strings.Split(body, "^")
	if len(parts) < 3 {
		return html.EscapeString(fallback)
	}
	sec, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return html.EscapeString(fallback)
	}
	t := time.Unix(sec, 0).In(r.loc)
	now := r.now.In(r.loc)
	out := dateTokens.ReplaceAllStringFunc(parts[2], func(tok string) string { return formatDateToken(tok, t, now) })
	title := t.Format("Monday, January 2, 2006 at 3:04:05 PM MST")
	h := `<time class="bk-date" datetime="` + t.UTC().Format(time.RFC3339) + `" title="` + html.EscapeString(title) + `">` + html.EscapeString(out) + `</time>`
	if len(parts) > 3 && safeURL(parts[3]) {
		h = `<a class="bk-link" href="` + html.EscapeString(parts[3]) + `" target="_blank" rel="noopener">` + h + `</a>`
	}
	return h
}

var dateTokens = regexp.MustCompile(`\{[a-z_]+\}`)

// formatDateToken implements Slack's date tokens; unknown tokens stay as typed.
func formatDateToken(tok string, t, now time.Time) string {
	day := func(x time.Time) time.Time { y, m, d := x.Date(); return time.Date(y, m, d, 0, 0, 0, 0, x.Location()) }
	pretty := func(otherwise string) string {
		switch day(now).Sub(day(t)).Hours() / 24 {
		case 0:
			return "Today"
		case 1:
			return "Yesterday"
		case -1:
			return "Tomorrow"
		}
		return otherwise
	}
	ordinal := func(d int) string {
		suffix := "th"
		if d%100 < 11 || d%100 > 13 {
			switch d % 10 {
			case 1:
				suffix = "st"
			case 2:
				suffix = "nd"
			case 3:
				suffix = "rd"
			}
		}
		return strconv.Itoa(d) + suffix
	}
	dateText := t.Format("January ") + ordinal(t.Day()) + t.Format(", 2006")
	short := t.Format("Jan 2, 2006")
	long := t.Format("Monday, January ") + ordinal(t.Day()) + t.Format(", 2006")
	switch tok {
	case "{date_num}":
		return t.Format("2006-01-02")
	case "{date}":
		return dateText
	case "{date_short}":
		return short
	case "{date_long}":
		return long
	case "{date_pretty}":
		return pretty(dateText)
	case "{date_short_pretty}":
		return pretty(short)
	case "{date_long_pretty}":
		return pretty(long)
	case "{time}":
		return t.Format("3:04 PM")
	case "{time_secs}":
		return t.Format("3:04:05 PM")
	case "{ago}":
		return ago(now.Sub(t))
	}
	return tok
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// formatMarks applies *bold*, _italic_ and ~strike~ to escaped text. A mark
// opens after a boundary and before a non-space, and closes after a non-space
// and before a boundary, as in Slack; marks nest.
func formatMarks(s string) string {
	for _, m := range []struct {
		mark byte
		tag  string
	}{{'*', "b"}, {'_', "i"}, {'~', "s"}} {
		s = applyMark(s, m.mark, m.tag)
	}
	return s
}

func applyMark(s string, mark byte, tag string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		if s[i] == mark && opens(s, i) {
			if j := closing(s, i, mark); j > 0 {
				b.WriteString("<" + tag + ">" + applyMark(s[i+1:j], mark, tag) + "</" + tag + ">")
				i = j + 1
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func opens(s string, i int) bool {
	if i+1 >= len(s) || s[i+1] == ' ' || s[i+1] == s[i] {
		return false
	}
	if i == 0 {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(prev) && !unicode.IsDigit(prev)
}

func closing(s string, open int, mark byte) int {
	for j := open + 2; j < len(s); j++ {
		if s[j] != mark || s[j-1] == ' ' {
			continue
		}
		if j+1 == len(s) {
			return j
		}
		next, _ := utf8.DecodeRuneInString(s[j+1:])
		if !unicode.IsLetter(next) && !unicode.IsDigit(next) {
			return j
		}
	}
	return -1
}

// emoji maps the shortcodes the bot and common messages use; others stay as typed.
var emoji = strings.NewReplacer(
	":white_check_mark:", "✅", ":x:", "❌", ":warning:", "⚠️", ":lock:", "🔒",
	":unlock:", "🔓", ":hourglass:", "⌛", ":hourglass_flowing_sand:", "⏳",
	":no_entry:", "⛔", ":no_entry_sign:", "🚫", ":information_source:", "ℹ️",
	":bust_in_silhouette:", "👤", ":key:", "🔑", ":wastebasket:", "🗑️",
	":heavy_check_mark:", "✔️", ":clock3:", "🕒", ":mag:", "🔍", ":tada:", "🎉",
)

func replaceEmoji(s string) string { return emoji.Replace(s) }
