package config

import "testing"

func TestDecideBreakGlass(t *testing.T) {
	c := &Config{Roles: []Role{{Name: "oncall", BreakGlass: true}, {Name: "support"}}}
	for _, tc := range []struct {
		roles  []string
		reason string
		want   bool
	}{
		{[]string{"oncall"}, "prod down", true},
		{[]string{"support", "oncall"}, "prod down", true},
		{[]string{"support"}, "prod down", false},
		{[]string{"oncall"}, "", false},
		{nil, "prod down", false},
	} {
		if got := c.DecideBreakGlass(tc.roles, tc.reason); got.Allowed != tc.want || got.Reason == "" {
			t.Errorf("DecideBreakGlass(%v, %q) = %+v, want allowed %v with a sentence", tc.roles, tc.reason, got, tc.want)
		}
	}
}
