package actions

import (
	"strings"
	"testing"
)

// bulk's filter options ("--status S | --enabled | --disabled …") are one
// form's list, not forms of their own: Slack's autocomplete must never offer
// "bulk --enabled", which has no action and would be refused.
func TestUsageHintKeepsOptionListsWithTheirForm(t *testing.T) {
	hint := UsageHint()
	for _, form := range strings.Split(hint, " | ") {
		words := strings.Fields(form)
		if len(words) > 1 && words[0] == string(Bulk) && strings.HasPrefix(words[1], "--") {
			t.Errorf("usage hint offers %q, a bulk job without its action", form)
		}
	}
	if !strings.Contains(hint, "bulk <action> [args] <user> <user> …") || !strings.Contains(hint, "audit --actor @someone") {
		t.Errorf("usage hint lost a real form: %s", hint)
	}
}
