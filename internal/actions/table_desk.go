package actions

import (
	"context"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// The support desk: fixing why someone cannot sign in (invitations, sign-up
// codes, verified contacts, MFA, remembered devices), the kill switch, and
// the reads that diagnose it. Their operations and preconditions are in
// support_ops.go.

// The desk actions. Roles list them by these names.
const (
	// ResendInvite re-sends the invitation of a user who never signed in.
	ResendInvite Action = "resend-invite"
	// ConfirmSignUp confirms a self-signed-up user who never entered the code.
	ConfirmSignUp Action = "confirm-signup"
	// Verify marks a user's email or phone verified so codes reach it.
	Verify Action = "verify"
	// ResetMFA turns off a user's SMS and TOTP MFA (lost phone).
	ResetMFA Action = "reset-mfa"
	// Suspend is the kill switch: disable and sign out everywhere at once.
	Suspend Action = "suspend"
	// ForgetDevice makes Cognito forget one of a user's remembered devices.
	ForgetDevice Action = "forget-device"
	// History shows a user's recent sign-in events.
	History Action = "history"
	// Devices lists a user's remembered devices.
	Devices Action = "devices"
	// Why says why a user can or cannot sign in, and what fixes it.
	Why Action = "why"
)

// DeskOps are the directory calls of the desk actions. They are declared
// here, next to the entries whose operations call them; UserOps embeds them.
type DeskOps interface {
	ResendInvitation(ctx context.Context, poolID, username string) (cognito.Result, error)
	ConfirmSignUp(ctx context.Context, poolID, username string) (cognito.Result, error)
	MarkVerified(ctx context.Context, poolID, username, attribute string) (cognito.Result, error)
	ResetMFA(ctx context.Context, poolID, username string) (cognito.Result, error)
	ForgetDevice(ctx context.Context, poolID, username, deviceKey string) (cognito.Result, error)
	// TokenLifetime is how long tokens already issued stay valid: suspend's
	// answer says so.
	TokenLifetime(ctx context.Context, poolID string) (time.Duration, error)
}

// deskTable is the desk actions' part of the table, in help order.
var deskTable = []Spec{
	{Action: ResendInvite, Bulk: true, Scope: ScopeUser, Usage: userUsage,
		Summary: "Re-send the invitation to a user who never signed in (FORCE_CHANGE_PASSWORD only; for anyone else it says what to do instead)",
		Verb:    "resend the invitation to", Done: "resent the invitation to", Button: "Resend invite", ButtonStyle: "primary",
		Detail: "Cognito sends a new temporary password; the old one stops working.",
		Op:     plain(UserOps.ResendInvitation), Applies: resendApplies,
		Quota: "UserCreation", IAM: withFind("cognito-idp:AdminCreateUser"),
		// A second invitation replaces the first temporary password, and nothing
		// on the user shows whether one was sent: it stays "outcome unknown".
		Repeatable: false, Reached: nil},
	{Action: ConfirmSignUp, Bulk: true, Scope: ScopeUser, Usage: userUsage,
		Summary: "Confirm a user who signed up but never entered the code (UNCONFIRMED only)",
		Verb:    "confirm the sign-up of", Done: "confirmed the sign-up of", Button: "Confirm sign-up", ButtonStyle: "primary",
		Detail: "They can sign in with the password they chose.",
		Op:     plain(UserOps.ConfirmSignUp), Applies: confirmApplies,
		Quota: "UserCreation", IAM: withFind("cognito-idp:AdminConfirmSignUp"),
		Repeatable: true, Reached: isConfirmed},
	{Action: Verify, Bulk: true, Scope: ScopeUser, Usage: UserArg + " email|phone [--pool NAME] [--reason \"…\"]",
		Args:    []Arg{{Name: "attribute", Choices: []string{"email", "phone"}}},
		Summary: "Mark a user's email or phone verified, so codes and resets reach it",
		Verb:    "mark verified the contact of", Done: "marked verified the contact of", Button: "Verify",
		Detail: "Cognito will send codes (password resets) to it; do this only after checking it is theirs.",
		Op:     verifyOp, Applies: verifyApplies,
		Quota: "UserUpdate", IAM: withFind("cognito-idp:AdminUpdateUserAttributes"),
		Repeatable: true, Reached: verifyReached},
	{Action: ResetMFA, Bulk: true, Scope: ScopeUser, Usage: userUsage, Destructive: true,
		Summary: "Turn off a user's SMS and authenticator-app MFA, e.g. after a lost phone (asks for confirmation)",
		Verb:    "reset the MFA of", Done: "reset the MFA of", Button: "Reset MFA",
		Detail: "Their SMS and authenticator-app MFA is turned off; where the pool requires MFA they set it up again at the next sign-in.",
		Op:     plain(UserOps.ResetMFA), Applies: resetMFAApplies,
		Quota: "UserResourceUpdate", IAM: withFind("cognito-idp:AdminSetUserMFAPreference"),
		Repeatable: true, Reached: hasNoMFA},
	{Action: Suspend, Bulk: true, Scope: ScopeUser, Usage: userUsage + atUsage, Destructive: true, Schedulable: true,
		Summary: "Kill switch: disable a user and sign them out everywhere, and say how long tokens already issued stay valid (asks for confirmation)",
		Verb:    "suspend", Done: "suspended", Button: "Suspend", ButtonStyle: "danger",
		Detail: "They can no longer sign in and every refresh token is revoked; access and ID tokens already issued stay valid until they expire.",
		Op:     suspendOp, Quota: "UserUpdate", QuotaCalls: 2,
		IAM: withFind("cognito-idp:AdminDisableUser", "cognito-idp:AdminUserGlobalSignOut",
			"cognito-idp:ListUserPoolClients", "cognito-idp:DescribeUserPoolClient"),
		// Disable then sign-out: the sign-out cannot be read back, both repeat safely.
		Repeatable: true},
	{Action: ForgetDevice, Scope: ScopeUser, Usage: UserArg + " <device-key> [--pool NAME] [--reason \"…\"]", Destructive: true,
		Args:    []Arg{{Name: "device"}},
		Summary: "Forget one of a user's remembered devices (asks for confirmation; `devices` shows Forget buttons)",
		Verb:    "forget a device of", Done: "forgot a device of",
		Detail: "Cognito forgets the device; the next sign-in from it asks for MFA again.",
		Op:     forgetOp, Quota: "UserResourceUpdate", IAM: withFind("cognito-idp:AdminForgetDevice")},
	{Action: History, Scope: ScopeUser, Usage: UserArg + " [--pool NAME]",
		Summary: "Show a user's last sign-in events (needs the pool's threat protection add-on)",
		Quota:   "UserResourceRead", IAM: withFind("cognito-idp:AdminListUserAuthEvents")},
	{Action: Devices, Scope: ScopeUser, Usage: UserArg + " [--pool NAME]",
		Summary: "List a user's remembered devices, with Forget buttons",
		Quota:   "UserResourceRead", IAM: withFind("cognito-idp:AdminListDevices")},
	{Action: Why, Aliases: []string{"diagnose"}, Scope: ScopeUser, Usage: UserArg + " [--pool NAME]",
		Summary: "Say why a user can or cannot sign in, and offer the one fix",
		Quota:   "UserRead", IAM: withFind("cognito-idp:DescribeUserPool", "cognito-idp:AdminListUserAuthEvents")},
}

// The Reached checks of the desk actions: the state each one leaves, read
// back from the user (nil when they no longer exist).

func isConfirmed(u *cognito.User, _ map[string]string) bool {
	return u != nil && u.Status == statusConfirmed
}

func hasNoMFA(u *cognito.User, args map[string]string) bool {
	return u != nil && resetMFAApplies(*u, args) != ""
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
