package actions

import (
	"slices"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// How each bulk action is settled after its runner stopped mid-call: whether
// it is safe to repeat and how the wanted state is read from the user. They
// are declared here, with the actions, so the bulk runner decides nothing per
// action itself.

// recovery is the Repeatable/Reached pair of one action.
type recovery struct {
	repeatable bool
	reached    func(u *cognito.User, args map[string]string) bool
}

// recoveries covers every bulk action; TestEveryBulkActionSaysHowItRecovers
// keeps it complete.
var recoveries = map[Action]recovery{
	Disable: {true, func(u *cognito.User, _ map[string]string) bool { return u != nil && !u.Enabled }},
	Enable:  {true, func(u *cognito.User, _ map[string]string) bool { return u != nil && u.Enabled }},
	Delete:  {true, func(u *cognito.User, _ map[string]string) bool { return u == nil }},
	AddToGroup: {true, func(u *cognito.User, a map[string]string) bool {
		return u != nil && slices.Contains(u.Groups, a["group"])
	}},
	RemoveFromGroup: {true, func(u *cognito.User, a map[string]string) bool {
		return u != nil && !slices.Contains(u.Groups, a["group"])
	}},
	Verify:        {true, verifyReached},
	ResetMFA:      {true, func(u *cognito.User, a map[string]string) bool { return u != nil && resetMFAApplies(*u, a) != "" }},
	ConfirmSignUp: {true, func(u *cognito.User, _ map[string]string) bool { return u != nil && u.Status == statusConfirmed }},
	// A sign-out leaves nothing to read back; doing it twice is harmless.
	Revoke: {true, nil},
	// Disable then sign-out: the sign-out cannot be read back, both repeat safely.
	Suspend: {true, nil},
	// A second reset sends a second code; RESET_REQUIRED shows the first took.
	ResetPassword: {false, func(u *cognito.User, _ map[string]string) bool { return u != nil && u.Status == statusReset }},
	// A second invitation replaces the first temporary password, and nothing
	// on the user shows whether one was sent: it stays "outcome unknown".
	ResendInvite: {false, nil},
}

func verifyReached(u *cognito.User, args map[string]string) bool {
	if u == nil {
		return false
	}
	if args["attribute"] == "phone" {
		return u.PhoneVerified
	}
	return u.EmailVerified
}

func init() {
	for i, s := range table {
		if r, ok := recoveries[s.Action]; ok {
			table[i].Repeatable, table[i].Reached = r.repeatable, r.reached
		}
	}
}
