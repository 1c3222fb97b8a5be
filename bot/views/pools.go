package views

import (
	"fmt"
	"strconv"

	"github.com/slack-go/slack"
)

// PoolsList lists the configured user pools, the default one marked.
func PoolsList(pools []PoolView) Message {
	blocks := []slack.Block{HeaderBlock("User pools")}
	if len(pools) == 0 {
		blocks = append(blocks, SectionBlock("No user pools are configured."))
		return Message{Text: "No user pools are configured.", Blocks: blocks}
	}
	lines := make([]string, len(pools))
	for i, p := range pools {
		lines[i] = poolLine(p)
	}
	blocks = append(blocks, PackLines(lines, MaxBlocks-3, func(n int) string {
		return fmt.Sprintf("_…and %d more not shown._", n)
	})...)
	blocks = append(blocks, ContextBlock("Pick one with `--pool NAME`; the default is used otherwise."))
	return Message{
		Text:   FallbackText(fmt.Sprintf("%d user %s configured", len(pools), Pluralize(len(pools), "pool", "pools"))),
		Blocks: blocks,
	}
}

// poolLine is "• *prod* (default) · `eu-west-1_abc` · eu-west-1 · ~1,234 users".
func poolLine(p PoolView) string {
	line := "• " + p.Label()
	if p.Default {
		line += " _(default)_"
	}
	line += " · " + CodeSpan(EscTrunc(OrDash(p.ID), 100))
	if p.Region != "" {
		line += " · " + EscTrunc(p.Region, 40)
	}
	if p.EstimatedUsers < 0 {
		line += " · user count unknown"
	} else {
		line += fmt.Sprintf(" · ~%s %s", groupDigits(p.EstimatedUsers), Pluralize(p.EstimatedUsers, "user", "users"))
	}
	return line
}

// groupDigits formats n with thousands separators: 1234567 → "1,234,567".
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
