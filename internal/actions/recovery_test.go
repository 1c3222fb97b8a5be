package actions

import (
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito"
)

func TestEveryBulkActionSaysHowItRecovers(t *testing.T) {
	for _, s := range BulkActions() {
		if _, ok := recoveries[s.Action]; !ok {
			t.Errorf("%s runs in bulk but does not say whether it is safe to repeat or how to read it back", s.Action)
		}
	}
	for a := range recoveries {
		if s, _ := Get(a); !s.RunsInBulk() {
			t.Errorf("%s says how it recovers but does not run in bulk", a)
		}
	}
}

func TestReachedReadsTheWantedStateFromTheUser(t *testing.T) {
	enabled := &cognito.User{Username: "a", Enabled: true, Groups: []string{"ops"}, Status: "CONFIRMED"}
	disabled := &cognito.User{Username: "a", Enabled: false, Status: "RESET_REQUIRED", EmailVerified: true}
	cases := []struct {
		a    Action
		u    *cognito.User
		args map[string]string
		want bool
	}{
		{Disable, disabled, nil, true},
		{Disable, enabled, nil, false},
		{Disable, nil, nil, false},
		{Enable, enabled, nil, true},
		{Delete, nil, nil, true},
		{Delete, enabled, nil, false},
		{AddToGroup, enabled, map[string]string{"group": "ops"}, true},
		{AddToGroup, enabled, map[string]string{"group": "dev"}, false},
		{RemoveFromGroup, enabled, map[string]string{"group": "ops"}, false},
		{Verify, disabled, map[string]string{"attribute": "email"}, true},
		{Verify, disabled, map[string]string{"attribute": "phone"}, false},
		{ResetPassword, disabled, nil, true},
		{ResetPassword, enabled, nil, false},
		{ConfirmSignUp, enabled, nil, true},
	}
	for _, c := range cases {
		s, _ := Get(c.a)
		if got := s.Reached(c.u, c.args); got != c.want {
			t.Errorf("%s reached on %+v %v = %v; want %v", c.a, c.u, c.args, got, c.want)
		}
	}
	for _, a := range []Action{Revoke, Suspend, ResendInvite} {
		if s, _ := Get(a); s.Reached != nil {
			t.Errorf("%s leaves nothing on the user to read back, yet has a check", a)
		}
	}
	if s, _ := Get(ResendInvite); s.Repeatable {
		t.Error("resend-invite sends another email: it must not be repeated blindly")
	}
}
