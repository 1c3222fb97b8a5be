package awsdir

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// deskAPI is the part of the SDK seam the desk operations (sign-up
// confirmation, MFA reset, sign-in history, devices, token lifetimes) call. It
// is embedded in cognitoAPI.
type deskAPI interface {
	AdminConfirmSignUp(ctx context.Context, in *cip.AdminConfirmSignUpInput, optFns ...func(*cip.Options)) (*cip.AdminConfirmSignUpOutput, error)
	AdminSetUserMFAPreference(ctx context.Context, in *cip.AdminSetUserMFAPreferenceInput, optFns ...func(*cip.Options)) (*cip.AdminSetUserMFAPreferenceOutput, error)
	AdminListUserAuthEvents(ctx context.Context, in *cip.AdminListUserAuthEventsInput, optFns ...func(*cip.Options)) (*cip.AdminListUserAuthEventsOutput, error)
	AdminListDevices(ctx context.Context, in *cip.AdminListDevicesInput, optFns ...func(*cip.Options)) (*cip.AdminListDevicesOutput, error)
	AdminForgetDevice(ctx context.Context, in *cip.AdminForgetDeviceInput, optFns ...func(*cip.Options)) (*cip.AdminForgetDeviceOutput, error)
	ListUserPoolClients(ctx context.Context, in *cip.ListUserPoolClientsInput, optFns ...func(*cip.Options)) (*cip.ListUserPoolClientsOutput, error)
	DescribeUserPoolClient(ctx context.Context, in *cip.DescribeUserPoolClientInput, optFns ...func(*cip.Options)) (*cip.DescribeUserPoolClientOutput, error)
}

// ConfirmSignUp confirms a user who signed up themselves and never entered the
// code (AdminConfirmSignUp). Users in any other status give ErrUnsupportedState,
// checked first, because moto (and a careless call) would "confirm" an invited
// FORCE_CHANGE_PASSWORD user too.
func (d *Directory) ConfirmSignUp(ctx context.Context, poolID, username string) (cognito.Result, error) {
	fail := func(err error) (cognito.Result, error) {
		return cognito.Result{}, fmt.Errorf("confirming sign-up of %q: %w", username, err)
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fail(err)
	}
	if u.Status != string(types.UserStatusTypeUnconfirmed) {
		return fail(fmt.Errorf("%w: status is %s, not UNCONFIRMED", cognito.ErrUnsupportedState, u.Status))
	}
	t := &outcomeTracker{}
	out, err := api.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(poolID), Username: aws.String(u.Username)}, t.option)
	if err != nil {
		return fail(t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("confirmed sign-up", poolID, res)
	return res, nil
}

// MarkVerified marks the user's email or phone number ("email" or
// "phone_number") verified, so codes and resets can be delivered to it. A user
// without that attribute gives ErrInvalidParameter; one already verified needs
// no call and gets an empty Result.
func (d *Directory) MarkVerified(ctx context.Context, poolID, username, attribute string) (cognito.Result, error) {
	fail := func(err error) (cognito.Result, error) {
		return cognito.Result{}, fmt.Errorf("marking %s of %q verified: %w", attribute, username, err)
	}
	flag, ok := cognito.VerifiedFlags[attribute]
	if !ok {
		return fail(fmt.Errorf("%w: %q is not email or phone_number", cognito.ErrInvalidParameter, attribute))
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fail(err)
	}
	switch {
	case u.Attributes[attribute] == "":
		return fail(fmt.Errorf("%w: the user has no %s", cognito.ErrInvalidParameter, attribute))
	case u.Attributes[flag] == "true":
		return cognito.Result{}, nil
	}
	t := &outcomeTracker{}
	out, err := api.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{
		UserPoolId: aws.String(poolID), Username: aws.String(u.Username),
		UserAttributes: cognito.AttributeList(map[string]string{flag: "true"}),
	}, t.option)
	if err != nil {
		return fail(t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("marked verified", poolID, res)
	return res, nil
}

// ResetMFA turns off the user's SMS and TOTP MFA and clears the preferred
// method (AdminSetUserMFAPreference), for someone who lost their phone. In a
// pool where MFA is required they set it up again at the next sign-in. It
// reads the user first and sends settings only for the methods they have set
// up (a TOTP setting for a user without a token is refused); with neither, no
// call is made and the Result is empty.
//
// The SDK serializes Enabled=false by leaving the field out, which Cognito
// reads as false; moto 5.2.1 instead ignores such an empty settings object,
// so on moto the methods stay (the contract test says so).
func (d *Directory) ResetMFA(ctx context.Context, poolID, username string) (cognito.Result, error) {
	fail := func(err error) (cognito.Result, error) {
		return cognito.Result{}, fmt.Errorf("resetting MFA of %q: %w", username, err)
	}
	api, err := d.userAPI(poolID, username)
	if err != nil {
		return fail(err)
	}
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return fail(err)
	}
	in := &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(poolID), Username: aws.String(u.Username)}
	if slices.Contains(u.MFAMethods, "SMS_MFA") || u.PreferredMFA == "SMS_MFA" {
		in.SMSMfaSettings = &types.SMSMfaSettingsType{Enabled: false, PreferredMfa: false}
	}
	if slices.Contains(u.MFAMethods, "SOFTWARE_TOKEN_MFA") || u.PreferredMFA == "SOFTWARE_TOKEN_MFA" {
		in.SoftwareTokenMfaSettings = &types.SoftwareTokenMfaSettingsType{Enabled: false, PreferredMfa: false}
	}
	if in.SMSMfaSettings == nil && in.SoftwareTokenMfaSettings == nil {
		return cognito.Result{}, nil
	}
	t := &outcomeTracker{}
	out, err := api.AdminSetUserMFAPreference(ctx, in, t.option)
	if err != nil {
		return fail(t.result(err, nil))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("reset MFA", poolID, res)
	return res, nil
}
