package commands

import (
	"errors"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/internal/actions"
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

func TestActionArgsMatchTheTable(t *testing.T) {
	spec := actions.Spec{Action: "verify", Args: []actions.Arg{{Name: "attribute", Choices: []string{"email", "phone"}}}}
	got, err := actionArgs(spec, []string{"EMAIL"})
	if err != nil || got["attribute"] != "email" {
		t.Fatalf("actionArgs = %v, %v; want attribute=email", got, err)
	}
	for _, words := range [][]string{nil, {"fax"}, {"email", "extra"}} {
		var ue *desk.UsageError
		if _, err := actionArgs(spec, words); !errors.As(err, &ue) {
			t.Errorf("actionArgs(%q) = %v; want a usage error", words, err)
		}
	}
	if _, err := actionArgs(actions.Spec{Action: "disable"}, []string{"bob"}); err == nil {
		t.Error("an action without Args accepted a second word")
	}
	params := map[string]string{"pool_name": "p"}
	flows.ArgParams(params, map[string]string{"group": "admins"})
	if back := flows.ArgsOf(params); len(back) != 1 || back["group"] != "admins" {
		t.Errorf("args kept with a pending action came back as %v", back)
	}
}
