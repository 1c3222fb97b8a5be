package actions

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Disabling a disabled user, or enabling an enabled one, changes nothing: the
// table says so, with the action, for the bulk job to skip them; neither is
// refused on one user (Applies stays unset).
func TestDisableAndEnableSayWhenTheyChangeNothing(t *testing.T) {
	enabled, disabled := cognito.User{Username: "a", Enabled: true}, cognito.User{Username: "b"}
	for _, c := range []struct {
		action Action
		u      cognito.User
		want   string
	}{
		{Disable, enabled, ""},
		{Disable, disabled, "already disabled"},
		{Enable, disabled, ""},
		{Enable, enabled, "already enabled"},
	} {
		spec, ok := Get(c.action)
		if !ok || spec.Unchanged == nil || spec.Applies != nil {
			t.Fatalf("%s: Unchanged set %v, Applies set %v; want only Unchanged", c.action, spec.Unchanged != nil, spec.Applies != nil)
		}
		if got := spec.Unchanged(c.u, nil); got != c.want {
			t.Errorf("%s on enabled=%v: %q, want %q", c.action, c.u.Enabled, got, c.want)
		}
	}
}
