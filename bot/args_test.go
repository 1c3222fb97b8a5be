package bot

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    string
		pos     []string
		values  map[string]string
		bools   map[string]bool
		problem string
	}{
		{args: "alice", pos: []string{"alice"}},
		{args: "alice --pool prod", pos: []string{"alice"}, values: map[string]string{"pool": "prod"}},
		{args: "--pool=prod alice --public", pos: []string{"alice"}, values: map[string]string{"pool": "prod"}, bools: map[string]bool{"public": true}},
		{args: "alice --POOL prod", pos: []string{"alice"}, values: map[string]string{"pool": "prod"}},
		{args: "alice --pool", problem: "needs a value"},
		{args: "alice --public=yes", problem: "takes no value"},
		{args: "alice --force", problem: "Unknown option `--force`"},
		{args: "alice --reason " + strings.Repeat("r", maxReasonLen+1), problem: "too long"},
		{args: strings.Repeat("x", maxArgLen+1), problem: "too long"},
	}
	for _, tt := range tests {
		f, err := parseFlags(strings.Fields(tt.args), []string{"pool", "reason"}, []string{"public"})
		if tt.problem != "" {
			var ue *desk.UsageError
			if !errors.As(err, &ue) || !strings.Contains(ue.Problem, tt.problem) {
				t.Errorf("%.40q: error %v, want a usage error containing %q", tt.args, err, tt.problem)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if tt.values == nil {
			tt.values = map[string]string{}
		}
		if tt.bools == nil {
			tt.bools = map[string]bool{}
		}
		if !reflect.DeepEqual(f.pos, tt.pos) || !reflect.DeepEqual(f.values, tt.values) || !reflect.DeepEqual(f.bools, tt.bools) {
			t.Errorf("%q: got %v %v %v", tt.args, f.pos, f.values, f.bools)
		}
	}
}

func TestRegistrySuggestsTheClosestCommand(t *testing.T) {
	r := newRegistry()
	for typo, want := range map[string]string{"lokup": "lookup", "delte": "delete", "reset-pasword": "reset-password", "singout": "revoke", "xyzzy": ""} {
		if got := r.closest(typo); got != want {
			t.Errorf("closest(%q) = %q, want %q", typo, got, want)
		}
	}
	for _, alias := range []string{"find", "user", "reset", "signout", "logout", "LOOKUP"} {
		if _, ok := r.find(alias); !ok {
			t.Errorf("alias %q not found", alias)
		}
	}
}

func TestOpaqueButtonValues(t *testing.T) {
	for v, ok := range map[string]bool{
		"S4ENPDFHLTWNFWATH4W4HFYOIP":        true,
		"S4ENPDFHLTWNFWATH4W4HFYOIP#12":     true,
		"pb38803c6eef94a7f1943e43de79857a0": true,
		"short":                             false,
		"../../etc/passwd":                  false,
		"id#1234":                           false,
		strings.Repeat("A", 200):            false,
		`{"action":"delete","user":"x"}`:    false,
	} {
		if got := desk.OpaqueValue.MatchString(v); got != ok {
			t.Errorf("desk.OpaqueValue(%.30q) = %v, want %v", v, got, ok)
		}
	}
}

func TestEveryCommandIsAKnownActionAndHasUsage(t *testing.T) {
	for _, c := range newRegistry() {
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
	argParams(params, map[string]string{"group": "admins"})
	if back := argsOf(params); len(back) != 1 || back["group"] != "admins" {
		t.Errorf("args kept with a pending action came back as %v", back)
	}
}
