package awsdir

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// DisableUser stops the user from signing in and revokes their access tokens
// where Cognito checks them. Status is unchanged and the user still lists; JWTs
// that apps verify locally stay valid until they expire (default 1 h).
func (d *Directory) DisableUser(ctx context.Context, poolID, username string) (cognito.Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("disabling user %q: %w", username, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)}, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("disabling user %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("disabled user", poolID, res)
	return res, nil
}

// EnableUser lets a disabled user sign in again.
func (d *Directory) EnableUser(ctx context.Context, poolID, username string) (cognito.Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("enabling user %q: %w", username, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)}, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("enabling user %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("enabled user", poolID, res)
	return res, nil
}

// SignOut revokes the user's ID, access and refresh tokens where Cognito checks
// them (AdminUserGlobalSignOut): refreshes and Cognito API calls fail from now
// on, but JWTs that apps verify locally stay valid until they expire, and the
// hosted-UI session cookie survives.
func (d *Directory) SignOut(ctx context.Context, poolID, username string) (cognito.Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("signing out user %q: %w", username, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(poolID), Username: aws.String(username)}, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("signing out user %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("signed out user", poolID, res)
	return res, nil
}

// DeleteUser deletes the user's profile for good; a second delete gives
// ErrUserNotFound. ListUsers may still show the user briefly.
func (d *Directory) DeleteUser(ctx context.Context, poolID, username string) (cognito.Result, error) {
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("deleting user %q: %w", username, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)}, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("deleting user %q: %w", username, t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("deleted user", poolID, res)
	return res, nil
}
