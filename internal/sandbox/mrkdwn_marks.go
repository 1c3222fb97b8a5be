package sandbox

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
