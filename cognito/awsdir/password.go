package awsdir

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
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
	if b := cognito.ResetBlocker(u, pool); b != nil {
		return fmt.Errorf("checking password reset for %q: %w", username, b)
	}
	return nil
}

// ResetPassword runs CheckResetPassword and then AdminResetUserPassword: the
// user goes to RESET_REQUIRED and receives a code to choose a new password. It
// makes a single attempt (see singleAttempt); ErrLimitExceeded means the user
// has had too many resets lately.
func (d *Directory) ResetPassword(ctx context.Context, poolID, username string) (cognito.Result, error) {
	if err := d.CheckResetPassword(ctx, poolID, username); err != nil {
		return cognito.Result{}, err
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("resetting password of %q: %w", username, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username),
	}, singleAttempt, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("resetting password of %q: %w", username, t.result(err, nil))
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
func (d *Directory) SetPassword(ctx context.Context, poolID, username, password string, permanent bool) (cognito.Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("setting password of %q: %w", username, err)
	}
	if password == "" {
		return cognito.Result{}, fmt.Errorf("setting password of %q: %w: empty password", username, cognito.ErrInvalidPassword)
	}
	t := &outcomeTracker{}
	out, err := api.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username),
		Password: aws.String(password), Permanent: permanent,
	}, singleAttempt, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("setting password of %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("set password", poolID, res)
	return res, nil
}
