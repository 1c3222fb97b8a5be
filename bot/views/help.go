package views

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// HelpEntry describes one command for help and usage replies.
type HelpEntry struct {
	Name    string
	Aliases []string
	// Usage is the argument synopsis after the slash command, e.g.
	// "lookup <username|email|phone|sub> [--pool NAME] [--public]".
	Usage   string
	Summary string
	// Destructive reports whether the command can lock a user out or lose
	// data, and so asks for confirmation first.
	Destructive bool
}

// HelpList lists every command; command is the slash command, e.g. "/cognito".
func HelpList(cmds []HelpEntry, command string) Message {
	cmd := EscTrunc(OrDash(command), 40)
	blocks := []slack.Block{HeaderBlock(Truncate(command, 40) + " commands")}
	lines := make([]string, len(cmds))
	names := make([]string, len(cmds))
	for i, h := range cmds {
		lines[i] = helpLine(h, cmd)
		names[i] = h.Name
	}
	if len(lines) == 0 {
		blocks = append(blocks, SectionBlock("No commands are available."))
	} else {
		blocks = append(blocks, PackLines(lines, MaxBlocks-3, func(n int) string {
			return fmt.Sprintf("_…and %d more commands._", n)
		})...)
	}
	blocks = append(blocks, ContextBlock(
		"⚠️ marks commands that can lock a user out or lose data; they ask for confirmation first. Try "+
			CodeSpan(cmd+" help COMMAND")+" for details."))
	return Message{
		Text:   FallbackText(cmd + " commands: " + joinLimited(names, ", ", 40, 3000)),
		Blocks: blocks,
	}
}

// helpLine is "`/cognito lookup …` ⚠️\nSummary _(aliases: show, get)_".
func helpLine(h HelpEntry, cmd string) string {
	line := CodeSpan(cmd + " " + EscTrunc(synopsis(h), 300))
	if h.Destructive {
		line += " ⚠️"
	}
	if h.Summary != "" {
		line += "\n" + EscTrunc(h.Summary, 300)
	}
	if len(h.Aliases) > 0 {
		line += " _(" + aliasWord(h.Aliases, "alias", "aliases") + ": " + joinLimited(h.Aliases, ", ", 40, 200) + ")_"
	}
	return line
}

// Usage explains a command after a mistake: the problem (escaped), then the
// usage line, summary and aliases.
func Usage(h HelpEntry, command string, problem string) Message {
	cmd := EscTrunc(OrDash(command), 40)
	var blocks []slack.Block
	text := ""
	if problem != "" {
		text = "⚠️ " + EscTrunc(problem, 1000)
		blocks = append(blocks, SectionBlock(text))
	}
	body := "*Usage:* " + CodeSpan(cmd+" "+EscTrunc(synopsis(h), 1000))
	if h.Summary != "" {
		body += "\n" + EscTrunc(h.Summary, 1000)
	}
	if len(h.Aliases) > 0 {
		body += "\n*" + aliasWord(h.Aliases, "Alias", "Aliases") + ":* " + joinLimited(h.Aliases, ", ", 40, 500)
	}
	if h.Destructive {
		body += "\n_This command can lock the user out or lose data; you will be asked to confirm._"
	}
	blocks = append(blocks, SectionBlock(body))
	if text == "" {
		text = "Usage: " + CodeSpan(cmd+" "+EscTrunc(synopsis(h), 1000))
	}
	return Message{Text: FallbackText(text), Blocks: blocks}
}

// aliasWord is one for a single alias, many for several.
func aliasWord(aliases []string, one, many string) string {
	if len(aliases) == 1 {
		return one
	}
	return many
}

// synopsis is the usage text, or the bare name when Usage is empty.
func synopsis(h HelpEntry) string {
	if strings.TrimSpace(h.Usage) != "" {
		return h.Usage
	}
	return OrDash(h.Name)
}
