package sandbox

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"
)

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
