package bot

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ellipsis marks text that was cut short.
const ellipsis = "…"

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes s safe to place in Slack mrkdwn: it replaces the three control
// characters &, < and > with their entities and touches nothing else. Without
// it, user text such as "<!channel>" would ping a whole channel.
func escape(s string) string { return escaper.Replace(s) }

// truncate shortens s to at most max runes, ending with "…" when it had to cut.
func truncate(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + ellipsis
}

// escTrunc escapes s and shortens the result to at most max runes without
// splitting an entity, ending with "…" when it had to cut.
func escTrunc(s string, max int) string {
	e := escape(s)
	if utf8.RuneCountInString(e) <= max {
		return e
	}
	if max <= 0 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		piece := escape(string(r))
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

// slackToken matches one <…> construct in text as Slack delivers it.
var slackToken = regexp.MustCompile(`<([^<>]*)>`)

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// unwrapSlackText undoes the rewriting Slack applies to command text before it
// reaches the bot: mailto:/tel: links become the bare address or number, other
// links become their label (or URL), user, channel and group mentions lose
// their "|label", and finally the &amp; &lt; &gt; entities are decoded.
func unwrapSlackText(s string) string {
	s = slackToken.ReplaceAllStringFunc(s, func(tok string) string {
		inner := tok[1 : len(tok)-1]
		target, label, hasLabel := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(target, "@"), strings.HasPrefix(target, "#"), strings.HasPrefix(target, "!"):
			return "<" + target + ">"
		case strings.HasPrefix(target, "mailto:"):
			return strings.TrimPrefix(target, "mailto:")
		case strings.HasPrefix(target, "tel:"):
			return strings.TrimPrefix(target, "tel:")
		case hasLabel && label != "":
			return label
		default:
			return target
		}
	})
	return unescaper.Replace(s)
}

// closingQuote maps each opening quote splitArgs honours to its closer. Slack
// clients turn "…" into “…” as people type, so the curly forms count too. The
// right single quote ’ is not an opener: it is the usual apostrophe.
var closingQuote = map[rune]rune{'"': '"', '\'': '\'', '“': '”', '”': '”', '‘': '’'}

// splitArgs splits command text into arguments on whitespace, honouring
// "double", 'single' and “smart” quotes. A quote opens only at the start of an
// argument or right after "=" (as in --reason="two words"), so apostrophes
// inside words such as O'Brien stay literal. A quote that is never closed is an
// error.
func splitArgs(s string) ([]string, error) {
	var (
		args    []string
		cur     strings.Builder
		inToken bool
		prev    rune
	)
	runes := []rune(s)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if unicode.IsSpace(r) {
			if inToken {
				args = append(args, cur.String())
				cur.Reset()
				inToken = false
			}
			prev = r
			continue
		}
		closer, isQuote := closingQuote[r]
		if isQuote && (!inToken || prev == '=') {
			end := -1
			for j := i + 1; j < len(runes); j++ {
				if runes[j] == closer || (r == '“' && runes[j] == '“') {
					end = j
					break
				}
			}
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote: %c%s has no closing %c", r, truncate(string(runes[i+1:]), 20), closer)
			}
			cur.WriteString(string(runes[i+1 : end]))
			inToken = true
			i = end
			prev = closer
			continue
		}
		cur.WriteRune(r)
		inToken = true
		prev = r
	}
	if inToken {
		args = append(args, cur.String())
	}
	return args, nil
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

// slackIDPattern matches a Slack user ID (U… or, in Enterprise Grid, W…).
var slackIDPattern = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// userIDFromMention extracts the user ID from "<@U123>", "<@U123|name>" or a
// bare "U123", and reports whether s was one of those forms.
func userIDFromMention(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		s, _, _ = strings.Cut(s[2:len(s)-1], "|")
	}
	if !slackIDPattern.MatchString(s) {
		return "", false
	}
	return s, true
}
