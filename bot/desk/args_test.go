package desk

import (
	"errors"
	"reflect"
	"strings"
	"testing"
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
		{args: "alice --reason " + strings.Repeat("r", MaxReasonLen+1), problem: "too long"},
		{args: strings.Repeat("x", maxArgLen+1), problem: "too long"},
	}
	for _, tt := range tests {
		f, err := ParseFlags(strings.Fields(tt.args), []string{"pool", "reason"}, []string{"public"})
		if tt.problem != "" {
			var ue *UsageError
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
		if !reflect.DeepEqual(f.Pos, tt.pos) || !reflect.DeepEqual(f.Values, tt.values) || !reflect.DeepEqual(f.Bools, tt.bools) {
			t.Errorf("%q: got %v %v %v", tt.args, f.Pos, f.Values, f.Bools)
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
		if got := OpaqueValue.MatchString(v); got != ok {
			t.Errorf("OpaqueValue(%.30q) = %v, want %v", v, got, ok)
		}
	}
}
