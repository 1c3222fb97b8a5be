package views

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ellipsis marks text that was cut short.
const ellipsis = "…"

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Escape makes s safe to place in Slack mrkdwn: it replaces the three control
// characters &, < and > with their entities and touches nothing else. Without
// it, user text such as "<!channel>" would ping a whole channel. Package bot
// uses it for the few notes it builds itself.
func Escape(s string) string { return escaper.Replace(s) }

// Truncate shortens s to at most max runes, ending with "…" when it had to cut.
// Package bot uses it to keep echoed user input short in error replies.
func Truncate(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + ellipsis
}

// EscTrunc escapes s and shortens the result to at most max runes without
// splitting an entity, ending with "…" when it had to cut.
func EscTrunc(s string, max int) string {
	e := Escape(s)
	if utf8.RuneCountInString(e) <= max {
		return e
	}
	if max <= 0 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		piece := Escape(string(r))
		w := utf8.RuneCountInString(piece)
		if n+w > max-1 {
			break
		}
		b.WriteString(piece)
		n += w
	}
	return b.String() + ellipsis
}

// truncateMrkdwn shortens already-built mrkdwn to at most max runes. It is a
// safety net: when it cuts, it drops a trailing partial entity or an unclosed
// "<…" token so the result never carries half a mention.
func truncateMrkdwn(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	if max <= 0 {
		return ""
	}
	cut := string([]rune(s)[:max-1])
	if i := strings.LastIndexByte(cut, '<'); i > strings.LastIndexByte(cut, '>') {
		cut = cut[:i]
	}
	if i := strings.LastIndexByte(cut, '&'); i >= 0 && !strings.Contains(cut[i:], ";") {
		cut = cut[:i]
	}
	return cut + ellipsis
}

// maskEmail hides most of an email's local part: alice@example.com becomes
// a***@example.com. Text without "@" keeps only its first character.
func maskEmail(email string) string {
	if email == "" {
		return ""
	}
	local, domain, ok := strings.Cut(email, "@")
	first, _ := utf8.DecodeRuneInString(local)
	masked := "***"
	if local != "" {
		masked = string(first) + "***"
	}
	if !ok {
		return masked
	}
	return masked + "@" + domain
}

// maskPhone hides the middle digits of a phone number: +12025550100 becomes
// +1******0100. Short numbers keep only their last two digits.
func maskPhone(phone string) string {
	var digits []rune
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	if len(digits) == 0 {
		return ""
	}
	prefix := ""
	if strings.HasPrefix(strings.TrimSpace(phone), "+") {
		prefix = "+"
	}
	head, tail := 1, 4
	if len(digits) < 8 {
		head, tail = 0, min(2, len(digits)-1)
	}
	stars := strings.Repeat("*", len(digits)-head-tail)
	return prefix + string(digits[:head]) + stars + string(digits[len(digits)-tail:])
}

// Pluralize picks one or many by n: "1 entry", "2 entries".
func Pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// RoundDuration is d as views show it: "under a second", "12s", "3m0s".
func RoundDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "under a second"
	case d < time.Minute:
		return d.Round(time.Second).String()
	default:
		return d.Round(time.Minute).String()
	}
}
