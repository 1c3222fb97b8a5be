package desk

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// slackToken matches one <…> construct in text as Slack delivers it.
var slackToken = regexp.MustCompile(`<([^<>]*)>`)

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// UnwrapSlackText undoes the rewriting Slack applies to command text before it
// reaches the bot: mailto:/tel: links become the bare address or number, other
// links become their label (or URL), user, channel and group mentions lose
// their "|label", and finally the &amp; &lt; &gt; entities are decoded.
func UnwrapSlackText(s string) string {
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

// ClosingQuote maps each opening quote splitArgs honours to its closer. Slack
// clients turn "…" into “…” as people type, so the curly forms count too. The
// right single quote ’ is not an opener: it is the usual apostrophe.
var ClosingQuote = map[rune]rune{'"': '"', '\'': '\'', '“': '”', '”': '”', '‘': '’'}

// SplitArgs splits command text into arguments on whitespace, honouring
// "double", 'single' and “smart” quotes. A quote opens only at the start of an
// argument or right after "=" (as in --reason="two words"), so apostrophes
// inside words such as O'Brien stay literal. A quote that is never closed is an
// error.
func SplitArgs(s string) ([]string, error) {
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
		closer, isQuote := ClosingQuote[r]
		if isQuote && (!inToken || prev == '=') {
			end := -1
			for j := i + 1; j < len(runes); j++ {
				if runes[j] == closer || (r == '“' && runes[j] == '“') {
					end = j
					break
				}
			}
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote: %c%s has no closing %c", r, views.Truncate(string(runes[i+1:]), 20), closer)
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

// slackIDPattern matches a Slack user ID (U… or, in Enterprise Grid, W…).
var slackIDPattern = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// UserIDFromMention extracts the user ID from "<@U123>", "<@U123|name>" or a
// bare "U123", and reports whether s was one of those forms.
func UserIDFromMention(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		s, _, _ = strings.Cut(s[2:len(s)-1], "|")
	}
	if !slackIDPattern.MatchString(s) {
		return "", false
	}
	return s, true
}
