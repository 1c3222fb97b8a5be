package actions

import (
	"slices"
	"strings"
)

// UsageHint is the slash command's usage_hint in the Slack app manifest:
// each action in help order with what its usage shows before its first
// optional option (a "[…]" holding "--"), one entry per alternative of that
// usage, the user argument written <user>. The manifest's line is generated
// from it (go test ./internal/config -run Manifest -update), so a new action
// appears in Slack's autocomplete as it does in help, and the line stays short.
func UsageHint() string {
	var parts []string
	for _, s := range table {
		usage := strings.ReplaceAll(s.Usage, UserArg, "<user>")
		optionList := false
		for _, alt := range splitTopLevel(usage, " | ") {
			words := splitTopLevel(alt, " ")
			if optionList && len(words) > 0 && strings.HasPrefix(words[0], "--") {
				// "… --status S | --enabled | --disabled": the rest of the
				// previous form's list of options, not a form of its own.
				continue
			}
			part, listed := hintOf(s.Action, words)
			optionList = listed
			if !slices.ContainsFunc(parts, func(p string) bool { return p == part || strings.HasPrefix(p, part+" ") }) {
				parts = append(parts, part)
			}
		}
	}
	return strings.Join(parts, " | ")
}

// hintOf is one form of action's usage cut before its first option, unless
// the form starts with that option (audit --actor @someone); listed says an
// option after the arguments was cut off.
func hintOf(action Action, words []string) (hint string, listed bool) {
	out := []string{string(action)}
	for i, w := range words {
		if strings.HasPrefix(w, "[") && strings.Contains(w, "--") {
			break
		}
		if i > 0 && strings.HasPrefix(w, "--") {
			listed = true
			break
		}
		if w != "" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " "), listed
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

// SynopsisForms is Synopsis cut into the command's forms, one line each, for
// the README's command list: an alternative of Usage that starts with an
// argument or a word (audit's "verify …", bulk's second "<action> …") starts
// a new form, one that starts with an option ("--actor @someone") stays on the
// line of the form before it. Each form begins with the action's name.
func (s Spec) SynopsisForms() []string {
	if s.Usage == "" {
		return []string{string(s.Action)}
	}
	var forms []string
	for _, alt := range splitTopLevel(s.Usage, " | ") {
		if len(forms) > 0 && strings.HasPrefix(alt, "--") {
			forms[len(forms)-1] += " | " + alt
			continue
		}
		forms = append(forms, string(s.Action)+" "+alt)
	}
	return forms
}
