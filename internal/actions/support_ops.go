package actions

import (
	"context"
	"slices"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// The operations and preconditions of the desk actions (resend-invite,
// confirm-signup, verify, reset-mfa, suspend, forget-device).

// Cognito user statuses the desk actions distinguish.
const (
	statusConfirmed   = "CONFIRMED"
	statusUnconfirmed = "UNCONFIRMED"
	statusForceChange = "FORCE_CHANGE_PASSWORD"
	statusReset       = "RESET_REQUIRED"
	statusExternal    = "EXTERNAL_PROVIDER"
)

// contactAttribute maps verify's argument to the Cognito attribute.
func contactAttribute(arg string) string {
	if arg == "phone" {
		return "phone_number"
	}
	return "email"
}

func verifyOp(d UserOps, ctx context.Context, poolID, username string, args map[string]string) (cognito.Result, error) {
	return d.MarkVerified(ctx, poolID, username, contactAttribute(args["attribute"]))
}

func forgetOp(d UserOps, ctx context.Context, poolID, username string, args map[string]string) (cognito.Result, error) {
	return d.ForgetDevice(ctx, poolID, username, args["device"])
}

// suspendOp disables the user, then signs them out everywhere, then reads how
// long tokens already issued may live. Disabling first means a sign-in racing
// the sign-out cannot mint fresh tokens. The result carries the sign-out's
// request id.
func suspendOp(d UserOps, ctx context.Context, poolID, username string, _ map[string]string) (cognito.Result, error) {
	if _, err := d.DisableUser(ctx, poolID, username); err != nil {
		return cognito.Result{}, err
	}
	res, err := d.SignOut(ctx, poolID, username)
	if err != nil {
		return cognito.Result{}, &PartlyDoneError{Done: "the user is disabled", Failed: "signing them out everywhere",
			Hint: "run `revoke` for them, or sessions they already have keep working until their tokens expire", Err: err}
	}
	lifetime, err := d.TokenLifetime(ctx, poolID)
	if err != nil {
		// The user is suspended; only the answer's estimate is missing.
		res.TokensValidFor = -1
		return res, nil
	}
	res.TokensValidFor = lifetime
	return res, nil
}

// disableUnchanged: disabling a disabled user changes nothing. The sentence
// is the bulk report's skip note.
func disableUnchanged(u cognito.User, _ map[string]string) string {
	if !u.Enabled {
		return "already disabled"
	}
	return ""
}

// enableUnchanged: enabling an enabled user changes nothing.
func enableUnchanged(u cognito.User, _ map[string]string) string {
	if u.Enabled {
		return "already enabled"
	}
	return ""
}

func resendApplies(u cognito.User, _ map[string]string) string {
	switch u.Status {
	case statusForceChange:
		if u.Email == "" && u.Phone == "" {
			return "They have neither an email nor a phone number to send it to; add one first (`edit`)."
		}
		return ""
	case statusConfirmed:
		return "They have already set a password (CONFIRMED), so there is no invitation to resend. If they forgot it, use `reset-password`."
	case statusReset:
		return "They were sent a password reset code and must choose a new password with it. To send a new code, use `reset-password`."
	case statusUnconfirmed:
		return "They signed up themselves and never entered the code; use `confirm-signup` instead."
	case statusExternal:
		return "They sign in through an external identity provider; there is no invitation to resend."
	}
	return "Their status is " + u.Status + ", not FORCE_CHANGE_PASSWORD, so there is no invitation to resend."
}

func confirmApplies(u cognito.User, _ map[string]string) string {
	switch u.Status {
	case statusUnconfirmed:
		return ""
	case statusForceChange:
		return "They were invited by an administrator and have not signed in yet; use `resend-invite` instead."
	case statusExternal:
		return "They sign in through an external identity provider; there is nothing to confirm."
	}
	return "Their sign-up is already confirmed (status " + u.Status + ")."
}

func verifyApplies(u cognito.User, args map[string]string) string {
	what, value, verified := "email", u.Email, u.EmailVerified
	if args["attribute"] == "phone" {
		what, value, verified = "phone number", u.Phone, u.PhoneVerified
	}
	switch {
	case value == "":
		return "They have no " + what + " to verify; add one first (`edit`)."
	case verified:
		return "Their " + what + " is already verified."
	}
	return ""
}

func resetMFAApplies(u cognito.User, _ map[string]string) string {
	for _, m := range append(slices.Clone(u.MFAMethods), u.PreferredMFA) {
		if m == "SMS_MFA" || m == "SOFTWARE_TOKEN_MFA" {
			return ""
		}
	}
	return "They have no SMS or authenticator-app MFA set up, so there is nothing to reset."
}

// resetApplies is where a password reset cannot reach the user, by their state
// alone (the pool's recovery settings are checked again just before the call).
func resetApplies(u cognito.User, _ map[string]string) string {
	switch {
	case !u.Enabled:
		return "They are disabled; enable them first."
	case u.Status == statusForceChange:
		return "They have never signed in (FORCE_CHANGE_PASSWORD); use `resend-invite` instead."
	case u.Status == statusExternal:
		return "They sign in through an external identity provider; reset the password there."
	case u.Status == statusUnconfirmed:
		return "They never confirmed their sign-up; use `confirm-signup` first."
	case !u.EmailVerified && !u.PhoneVerified:
		return "They have no verified email or phone to receive the code; use `verify` first."
	}
	return ""
}

// PartlyDoneError is an action of several Cognito calls that stopped part-way:
// what was done stays done, and the answer must say so rather than read as
// "nothing happened".
type PartlyDoneError struct {
	// Done is what took effect, Failed the step that did not, Hint what to do.
	Done, Failed, Hint string
	Err                error
}

func (e *PartlyDoneError) Error() string {
	return e.Done + ", but " + e.Failed + " failed: " + e.Err.Error()
}

func (e *PartlyDoneError) Unwrap() error { return e.Err }
