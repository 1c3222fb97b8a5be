package actions

import (
	"slices"
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// outcomeUnknownByDesign are the bulk actions that are neither safe to repeat
// nor readable back, so a target whose runner died mid-call stays "outcome
// unknown". Listing one here is a decision, written down by hand.
var outcomeUnknownByDesign = []Action{ResendInvite}

// A bulk action says in its entry how a target whose runner stopped mid-call
// is settled: Repeatable, or Reached, or listed above as unknowable.
func TestEveryBulkActionSaysHowItRecovers(t *testing.T) {
	for _, s := range All() {
		declared := s.Repeatable || s.Reached != nil
		switch {
		case s.RunsInBulk() && !declared && !slices.Contains(outcomeUnknownByDesign, s.Action):
			t.Errorf("%s runs in bulk but its entry says neither whether it is safe to repeat (Repeatable) nor how to read it back (Reached)", s.Action)
		case !s.RunsInBulk() && (declared || slices.Contains(outcomeUnknownByDesign, s.Action)):
			t.Errorf("%s says how it recovers but does not run in bulk", s.Action)
		case declared && slices.Contains(outcomeUnknownByDesign, s.Action):
			t.Errorf("%s is listed as unknowable after a crash, yet its entry says how it recovers", s.Action)
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
