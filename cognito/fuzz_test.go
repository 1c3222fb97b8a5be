package cognito

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// filterShape is the only shape a ListUsers filter the bot sends may have:
// one attribute, one operator and one double-quoted value holding no quote
// and no backslash, so nothing a person types can end the value early or add
// a second clause.
var filterShape = regexp.MustCompile(`^(username|email|phone_number|name|given_name|family_name|preferred_username|sub|cognito:user_status|status) (=|\^=) "([^"\\]*)"$`)

// checkFilter fails t unless filter has filterShape and carries value exactly.
func checkFilter(t *testing.T, filter, attr, value string) {
	t.Helper()
	m := filterShape.FindStringSubmatch(filter)
	if m == nil {
		t.Fatalf("filter %q escapes its quotes or has another shape", filter)
	}
	if m[1] != attr || m[3] != value {
		t.Fatalf("filter %q: attribute %q value %q, want %q %q", filter, m[1], m[3], attr, value)
	}
	if !utf8.ValidString(filter) || len(filter) > maxFilterLen {
		t.Fatalf("filter %q is not valid UTF-8 or too long", filter)
	}
}

// FuzzListFilter: whatever list/bulk/export filters a person types, the
// ListUsers filter the bot builds is one quoted clause that carries the value
// typed (uppercased for a status) and never escapes its quotes; anything that
// cannot be sent so is refused.
func FuzzListFilter(f *testing.F) {
	f.Add("CONFIRMED", "email", "al", "", uint8(0))
	f.Add("", "username", `a" or name ^= "`, "", uint8(1))
	f.Add("", "name", `back\slash`, "", uint8(2))
	f.Add("unconfirmed", "", "", "", uint8(1))
	f.Add("", "", "", "admins", uint8(2))
	f.Add("", "phone_number", "+1555", "g", uint8(0))
	f.Add("", "custom:tenant", "acme", "", uint8(0))
	f.Add("", "email", "a\u200bb", "", uint8(0))
	f.Fuzz(func(t *testing.T, status, attr, prefix, group string, enabled uint8) {
		lf := ListFilter{Status: status, Attribute: attr, Prefix: prefix, Group: group}
		if enabled%3 != 0 {
			on := enabled%3 == 1
			lf.Enabled = &on
		}
		p, err := planList(lf)
		if err != nil {
			return
		}
		_ = p.Fingerprint("us-east-1_Fuzz")
		switch {
		case group != "":
			if p.filter != "" || p.group != group {
				t.Fatalf("a group listing sent filter %q", p.filter)
			}
		case attr != "":
			checkFilter(t, p.filter, attr, prefix)
		case status != "":
			checkFilter(t, p.filter, "cognito:user_status", strings.ToUpper(status))
		case lf.Enabled != nil:
			checkFilter(t, p.filter, "status", map[bool]string{true: "Enabled", false: "Disabled"}[*lf.Enabled])
		default:
			if p.filter != "" {
				t.Fatalf("no criterion, yet filter %q", p.filter)
			}
		}
		u := User{Username: prefix, Status: status, Attributes: map[string]string{attr: prefix}}
		_ = p.match(u)
	})
}

// FuzzFindQuery: whatever a desk agent types to find a user, the filter it
// becomes is one quoted clause on the attribute the query was classified as,
// carrying the classified value, or the query is refused.
func FuzzFindQuery(f *testing.F) {
	for _, s := range []string{"alice@example.com", "+1 (555) 123-4567", "3f2b7c1e-0000-4000-8000-000000000000", "bob",
		`x" or email ^= "`, "a\\b", "  spaced  ", "İSTANBUL@EXAMPLE.COM", "\x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		attr, value, err := ClassifyQuery(q)
		if err != nil {
			return
		}
		filter, err := BuildFilter(attr, "=", value)
		if err != nil {
			return
		}
		checkFilter(t, filter, attr, value)
	})
}
