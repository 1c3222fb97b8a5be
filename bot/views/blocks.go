package views

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Block Kit limits the views stay within (slack-platform.md §7).
const (
	MaxBlocks        = 50
	maxTextLen       = 3000
	maxFields        = 10
	maxFieldLen      = 2000
	maxHeaderLen     = 150
	maxButtonTextLen = 75
	maxButtonValue   = 2000
	maxContextElems  = 10
	maxFallbackLen   = 4000
	maxConfirmTitle  = 100
	maxConfirmText   = 300
	maxConfirmButton = 30
)

// MrkdwnText builds a mrkdwn text object with verbatim set, so bare URLs and
// @channel in (already escaped) user content stay literal.
func MrkdwnText(s string) *slack.TextBlockObject {
	if strings.TrimSpace(s) == "" {
		s = "—"
	}
	return slack.NewTextBlockObject(slack.MarkdownType, truncateMrkdwn(s, maxTextLen), false, true)
}

// PlainText builds a plain_text object cut to max runes. Slack does not parse
// plain_text, so it is not escaped.
func PlainText(s string, max int) *slack.TextBlockObject {
	if strings.TrimSpace(s) == "" {
		s = "—"
	}
	return slack.NewTextBlockObject(slack.PlainTextType, Truncate(s, max), true, false)
}

// SectionBlock is a section holding one mrkdwn text.
func SectionBlock(mrkdwn string) *slack.SectionBlock {
	return slack.NewSectionBlock(MrkdwnText(mrkdwn), nil, nil)
}

// fieldsBlock builds a section of two-column fields, keeping at most ten.
func fieldsBlock(fields ...string) *slack.SectionBlock {
	var objs []*slack.TextBlockObject
	for _, f := range fields[:min(len(fields), maxFields)] {
		objs = append(objs, MrkdwnText(truncateMrkdwn(f, maxFieldLen)))
	}
	return slack.NewSectionBlock(nil, objs, nil)
}

// HeaderBlock is a header cut to its 150-character limit.
func HeaderBlock(s string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(PlainText(s, maxHeaderLen))
}

// ContextBlock builds a context line from mrkdwn parts, keeping at most ten.
func ContextBlock(parts ...string) *slack.ContextBlock {
	var elems []slack.MixedElement
	for _, p := range parts[:min(len(parts), maxContextElems)] {
		elems = append(elems, MrkdwnText(p))
	}
	return slack.NewContextBlock("", elems...)
}

// ViewButton builds a button. value is an opaque token from the caller; it is cut
// to Slack's limit only so that the message stays sendable.
func ViewButton(actionID, label, value string) *slack.ButtonBlockElement {
	if utf8.RuneCountInString(value) > maxButtonValue {
		value = string([]rune(value)[:maxButtonValue])
	}
	return slack.NewButtonBlockElement(actionID, value, PlainText(label, maxButtonTextLen))
}

// DangerConfirm builds a confirm dialog styled danger, with every text cut to
// its limit and the deny button always set.
func DangerConfirm(title, text, confirm, deny string) *slack.ConfirmationBlockObject {
	return slack.NewConfirmationBlockObject(
		PlainText(title, maxConfirmTitle),
		PlainText(text, maxConfirmText),
		PlainText(confirm, maxConfirmButton),
		PlainText(deny, maxConfirmButton),
	).WithStyle(slack.StyleDanger)
}

// DateToken renders t as a Slack date token, shown in the reader's time zone,
// with a UTC fallback for clients that cannot format it.
func DateToken(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return fmt.Sprintf("<!date^%d^{date_short_pretty} {time}|%s>", t.Unix(), t.UTC().Format("2006-01-02 15:04 UTC"))
}

// FallbackText prepares a message's top-level text (mrkdwn, already escaped).
func FallbackText(s string) string { return truncateMrkdwn(s, maxFallbackLen) }

// CodeSpan wraps escaped text in a code span. Backticks in it would end the span
// early, so they become a look-alike.
func CodeSpan(escaped string) string {
	return "`" + strings.ReplaceAll(escaped, "`", "ˋ") + "`"
}

// maxPackedText caps the text packLines emits in total. Slack rejects a
// message with msg_blocks_too_long at roughly 13k characters of blocks even
// when each block is within its own limit (slack-platform.md §7).
const maxPackedText = 10000

// PackLines joins mrkdwn lines into as few sections as possible, each within
// the text limit. At most limit sections and maxPackedText runes are used;
// lines that do not fit are summarised by a context block built from more(n)
// (one extra block).
func PackLines(lines []string, limit int, more func(n int) string) []slack.Block {
	var (
		blocks        []slack.Block
		cur           []string
		curLen, total int
	)
	for i, line := range lines {
		line = truncateMrkdwn(line, maxTextLen)
		n := utf8.RuneCountInString(line)
		if len(cur) > 0 && curLen+1+n > maxTextLen {
			blocks = append(blocks, SectionBlock(strings.Join(cur, "\n")))
			cur, curLen = nil, 0
		}
		if (len(cur) == 0 && len(blocks) >= limit) || (i > 0 && total+n > maxPackedText) {
			if len(cur) > 0 {
				blocks = append(blocks, SectionBlock(strings.Join(cur, "\n")))
			}
			return append(blocks, ContextBlock(more(len(lines)-i)))
		}
		if len(cur) > 0 {
			curLen++
		}
		cur = append(cur, line)
		curLen += n
		total += n + 1
	}
	if len(cur) > 0 {
		blocks = append(blocks, SectionBlock(strings.Join(cur, "\n")))
	}
	return blocks
}

// joinLimited escapes items and joins them with sep, ending with "+N more"
// instead of letting the result exceed max runes.
func joinLimited(items []string, sep string, itemMax, max int) string {
	var b strings.Builder
	n := 0
	for i, it := range items {
		piece := EscTrunc(it, itemMax)
		if i > 0 {
			piece = sep + piece
		}
		w := utf8.RuneCountInString(piece)
		reserve := 0
		if i < len(items)-1 {
			reserve = utf8.RuneCountInString(fmt.Sprintf("%s+%d more", sep, len(items)-i-1))
		}
		if n+w+reserve > max {
			if i > 0 {
				b.WriteString(sep)
			}
			fmt.Fprintf(&b, "+%d more", len(items)-i)
			break
		}
		b.WriteString(piece)
		n += w
	}
	return b.String()
}

// Words is how the views talk about one action: the caller takes them from the
// action table, so a new action needs no change here.
type Words struct {
	// Button is the button label: "Reset password".
	Button string
	// Verb is the infinitive phrase: "reset the password of".
	Verb string
	// Done is the past tense: "reset the password of".
	Done string
}

// WordsFor returns w, or a generic phrasing that still names action when the
// caller gave none (unescaped: escape before use in mrkdwn).
func WordsFor(w Words, action string) Words {
	if w.Verb != "" && w.Done != "" {
		if w.Button == "" {
			w.Button = Capitalize(w.Verb)
		}
		return w
	}
	a := Truncate(action, 40)
	return Words{Button: a, Verb: "run " + a + " on", Done: "ran " + a + " on"}
}

// Capitalize upper-cases the first letter of s.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
