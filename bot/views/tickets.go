package views

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Tickets finds ticket ids (tickets.pattern) in reasons and links them
// (tickets.url). The zero value links nothing; reasons still render safely.
type Tickets struct {
	// Pattern matches one ticket id; nil finds none.
	Pattern *regexp.Regexp
	// URL is the ticket's link, or "" for none; nil links none.
	URL func(id string) string
}

// maxTicketLinks bounds the links one reason gets, and linkBudget the room
// they may add, so a reason full of ids cannot outgrow its block.
const (
	maxTicketLinks = 5
	linkBudget     = 200
)

// formatMarkers neutralizes Slack's formatting characters in user text with a
// zero-width space before each, so a reason's *stars* and _underscores_ show
// as typed rather than as formatting.
var formatMarkers = strings.NewReplacer("*", "\u200b*", "_", "\u200b_", "~", "\u200b~", "`", "\u200b`")

// UserText is user text as safe mrkdwn: escaped (no mentions, no links) and
// with its formatting markers neutralized, at most max runes.
func UserText(s string, max int) string { return EscTrunc(formatMarkers.Replace(s), max) }

// Reason renders a reason as safe mrkdwn of about max runes: user text never
// becomes markup; only the ticket ids found in it become links.
func (t Tickets) Reason(reason string, max int) string {
	plain := UserText(reason, max)
	if t.Pattern == nil {
		return plain
	}
	shown := Truncate(reason, max)
	matches := t.Pattern.FindAllStringIndex(shown, maxTicketLinks)
	if len(matches) == 0 {
		return plain
	}
	var b strings.Builder
	last := 0
	for _, m := range matches {
		if m[0] == m[1] {
			continue
		}
		b.WriteString(UserText(shown[last:m[0]], max))
		b.WriteString(t.link(shown[m[0]:m[1]]))
		last = m[1]
	}
	b.WriteString(UserText(shown[last:], max))
	if out := b.String(); utf8.RuneCountInString(out) <= utf8.RuneCountInString(plain)+linkBudget {
		return out
	}
	return plain
}

// link is a ticket id as a Slack link to its URL, or as plain text when there
// is no URL or it could not be carried in a link safely.
func (t Tickets) link(id string) string {
	label := strings.ReplaceAll(UserText(id, 100), "|", "¦")
	if t.URL == nil {
		return label
	}
	u := t.URL(id)
	if u == "" || !strings.HasPrefix(u, "https://") || strings.ContainsAny(u, "<>| \t\n") || len(u) > 500 {
		return label
	}
	return "<" + u + "|" + label + ">"
}
