package actions

import "strings"

// UsageHint is the slash command's usage_hint in the Slack app manifest:
// each action in help order with what its usage shows before its first
// optional option (a "[…]" holding "--"), one entry per alternative of that
// usage, the user argument written <user>. The manifest's line is generated
// from it (go test ./internal/config -run Manifest -update), so a new action
// appears in Slack's autocomplete as it does in help, and the line stays short.
func UsageHint() string {
	var parts []string
	for _, s := range table {
		usage := strings.ReplaceAll(s.Usage, userArg, "<user>")
		for _, alt := range splitTopLevel(usage, " | ") {
			words := []string{string(s.Action)}
			for _, w := range splitTopLevel(alt, " ") {
				if strings.HasPrefix(w, "[") && strings.Contains(w, "--") {
					break
				}
				if w != "" {
					words = append(words, w)
				}
			}
			parts = append(parts, strings.Join(words, " "))
		}
	}
	return strings.Join(parts, " | ")
}

// splitTopLevel splits s at sep outside brackets, so a bracketed group
// ("[--status S]", "<a | b>") stays whole.
func splitTopLevel(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '[' || s[i] == '<':
			depth++
		case s[i] == ']' || s[i] == '>':
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}
