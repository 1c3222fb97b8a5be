package commands

import (
	"testing"
)

func TestRegistrySuggestsTheClosestCommand(t *testing.T) {
	r := NewRegistry()
	for typo, want := range map[string]string{"lokup": "lookup", "delte": "delete", "reset-pasword": "reset-password", "singout": "revoke", "xyzzy": ""} {
		if got := r.Closest(typo); got != want {
			t.Errorf("closest(%q) = %q, want %q", typo, got, want)
		}
	}
	for _, alias := range []string{"find", "user", "reset", "signout", "logout", "LOOKUP"} {
		if _, ok := r.Find(alias); !ok {
			t.Errorf("alias %q not found", alias)
		}
	}
}

func TestEveryCommandIsAKnownActionAndHasUsage(t *testing.T) {
	for _, c := range NewRegistry() {
		if !c.Action.Known() {
			t.Errorf("command %s maps to unknown action %q", string(c.Action), c.Action)
		}
		if c.Summary == "" || c.Parse == nil {
			t.Errorf("command %s lacks a summary or parser", c.Action)
		}
	}
}
