package config

import (
	"strings"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// commandSummaryWidth is where the README's command list wraps a summary;
// usage lines stay whole, so they can be copied.
const commandSummaryWidth = 100

// commandBlock is the README's command list: a fenced block with every
// command a user can type, in help order, as help shows it — the synopsis,
// a line per form (the user argument written <user>, as the paragraph above
// the block says), then the summary and aliases, indented and wrapped. It is generated from
// the table between <!-- actions:commands --> and <!-- /actions:commands -->,
// so a new action appears there, and a changed summary changes both.
func commandBlock(specs []actions.Spec) string {
	var b strings.Builder
	b.WriteString("```\n")
	for _, s := range specs {
		for _, form := range s.SynopsisForms() {
			b.WriteString("/cognito " + strings.ReplaceAll(form, actions.UserArg, "<user>") + "\n")
		}
		about := s.Summary
		if len(s.Aliases) == 1 {
			about += " (alias: " + s.Aliases[0] + ")"
		} else if len(s.Aliases) > 1 {
			about += " (aliases: " + strings.Join(s.Aliases, ", ") + ")"
		}
		for _, line := range wrapWords(about, commandSummaryWidth-4) {
			b.WriteString("    " + line + "\n")
		}
	}
	b.WriteString("```\n")
	return b.String()
}

// wrapWords breaks text between words into lines of at most width columns
// (a longer word stands alone on its line).
func wrapWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
