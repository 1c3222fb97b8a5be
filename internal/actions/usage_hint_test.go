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

// The README's command list shows each form a user can type on its own line:
// `audit verify` and bulk's filter form are commands of their own, while
// audit's --actor and bulk's --enabled stay options of the form before them.
func TestSynopsisFormsSplitAtWordsNotOptions(t *testing.T) {
	audit, _ := Get(Audit)
	forms := audit.SynopsisForms()
	if len(forms) != 2 || !strings.HasPrefix(forms[0], "audit "+UserArg+" | --actor @someone") || forms[1] != "audit verify [--since 24h]" {
		t.Errorf("audit forms = %q", forms)
	}
	bulk, _ := Get(Bulk)
	forms = bulk.SynopsisForms()
	if len(forms) != 2 || forms[0] != "bulk <action> [args] <user> <user> …" || !strings.Contains(forms[1], "--status S | --enabled | --disabled") {
		t.Errorf("bulk forms = %q", forms)
	}
	lookup, _ := Get(Lookup)
	if forms := lookup.SynopsisForms(); len(forms) != 1 || forms[0] != lookup.Synopsis() {
		t.Errorf("lookup forms = %q; want its one synopsis %q", forms, lookup.Synopsis())
	}
	pools, _ := Get(Pools)
	if forms := pools.SynopsisForms(); len(forms) != 1 || forms[0] != "pools" {
		t.Errorf("pools forms = %q", forms)
	}
}
