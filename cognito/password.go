package cognito

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// singleAttempt makes a call without SDK retries. Password calls use it because
// their LimitExceededException is a per-user limit that retries only deepen, and
// because a retried reset may send the user a second code.
func singleAttempt(o *cip.Options) { o.RetryMaxAttempts = 1 }

// CheckResetPassword is the preflight for ResetPassword: it returns nil if a
// reset can work, and otherwise a *ResetBlockedError (matching
// ErrResetNotPossible) saying why and what to do instead, rather than letting
// Cognito fail with a bare NotAuthorized or InvalidParameter. It reads the user
// (AdminGetUser) and the pool's cached account-recovery setting.
func (d *Directory) CheckResetPassword(ctx context.Context, poolID, username string) error {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fmt.Errorf("checking password reset for %q: %w", username, err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fmt.Errorf("checking password reset for %q: %w", username, err)
	}
	pool, err := d.describe(ctx, api, poolID)
	if err != nil {
		return fmt.Errorf("checking password reset for %q: %w", username, err)
	}
	if b := ResetBlocker(u, pool); b != nil {
		return fmt.Errorf("checking password reset for %q: %w", username, b)
	}
	return nil
}

// ResetBlocker explains why AdminResetUserPassword cannot work (doc §2), or nil.
func ResetBlocker(u *User, pool *types.UserPoolType) *ResetBlockedError {
	switch {
	case !u.Enabled:
		return &ResetBlockedError{Reason: "the user is disabled", Hint: "enable the user first"}
	case u.Status == string(types.UserStatusTypeForceChangePassword):
		return &ResetBlockedError{Reason: "the user has never signed in (FORCE_CHANGE_PASSWORD)",
			Hint: "resend the invitation instead"}
	case u.Status == string(types.UserStatusTypeExternalProvider):
		return &ResetBlockedError{Reason: "the user signs in through an external identity provider",
			Hint: "reset the password at that provider"}
	case u.Status == string(types.UserStatusTypeUnconfirmed):
		return &ResetBlockedError{Reason: "the user has not confirmed their sign-up",
			Hint: "have them finish sign-up, or confirm them first"}
	case adminOnlyRecovery(pool):
		return &ResetBlockedError{Reason: "the pool allows account recovery by administrators only",
			Hint: "set a temporary password instead"}
	case !u.EmailVerified && !u.PhoneVerified:
		return &ResetBlockedError{Reason: "the user has no verified email or phone number to receive the code",
			Hint: "verify their email or phone first, or set a temporary password instead"}
	}
	return nil
}

// adminOnlyRecovery reports whether the pool's only recovery mechanism is admin_only.
func adminOnlyRecovery(pool *types.UserPoolType) bool {
	if pool == nil || pool.AccountRecoverySetting == nil {
		return false
	}
	ms := pool.AccountRecoverySetting.RecoveryMechanisms
	return len(ms) == 1 && ms[0].Name == types.RecoveryOptionNameTypeAdminOnly
}

// ResetPassword runs CheckResetPassword and then AdminResetUserPassword: the
// user goes to RESET_REQUIRED and receives a code to choose a new password. It
// makes a single attempt (see singleAttempt); ErrLimitExceeded means the user
// has had too many resets lately.
func (d *Directory) ResetPassword(ctx context.Context, poolID, username string) (Result, error) {
	if err := d.CheckResetPassword(ctx, poolID, username); err != nil {
		return Result{}, err
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return Result{}, fmt.Errorf("resetting password of %q: %w", username, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username),
	}, singleAttempt, t.option)
	if err != nil {
		return Result{}, fmt.Errorf("resetting password of %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("reset password", poolID, res)
	return res, nil
}

// SetPassword sets a password chosen by the agent: permanent (status CONFIRMED,
// usable at once) or temporary (FORCE_CHANGE_PASSWORD, to be changed at the next
// sign-in). It is the way out for users a reset cannot reach. The password must
// meet the pool's policy (ErrInvalidPassword) and is never logged. Single attempt,
// like ResetPassword.
func (d *Directory) SetPassword(ctx context.Context, poolID, username, password string, permanent bool) (Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return Result{}, fmt.Errorf("setting password of %q: %w", username, err)
	}
	if password == "" {
		return Result{}, fmt.Errorf("setting password of %q: %w: empty password", username, ErrInvalidPassword)
	}
	t := &outcomeTracker{}
	out, err := api.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username),
		Password: aws.String(password), Permanent: permanent,
	}, singleAttempt, t.option)
	if err != nil {
		return Result{}, fmt.Errorf("setting password of %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("set password", poolID, res)
	return res, nil
}
