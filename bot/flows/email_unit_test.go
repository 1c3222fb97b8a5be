package flows

import (
	"strings"
	"testing"
)

// Email addresses follow DNS's limits: a domain label has at most 63
// characters and the domain at most 253, so an address Cognito would mail
// to a name no resolver accepts is refused when typed.
func TestEmailFollowsDNSLimits(t *testing.T) {
	label := func(n int) string { return strings.Repeat("a", n) }
	for v, ok := range map[string]bool{
		"alice@example.com":                                        true,
		"alice@" + label(63) + ".example.com":                      true,
		"alice@" + label(64) + ".example.com":                      false,
		"boss@corp.example.com." + label(100) + ".evil.example":    false,
		"alice@" + strings.Repeat(label(60)+".", 4) + "com":        true,
		"alice@" + strings.Repeat(label(61)+".", 4) + "example.cc": false,
		"alice@example..com":                                       false,
		"alice@.example.com":                                       false,
		"alice@example.com.":                                       false,
		"alice@-example.com":                                       false,
		"alice@example":                                            false,
	} {
		if got := ContactProblem("email", v) == ""; got != ok {
			t.Errorf("contactProblem(email, %q…) accepts = %v; want %v", v[:min(len(v), 40)], got, ok)
		}
	}
}
