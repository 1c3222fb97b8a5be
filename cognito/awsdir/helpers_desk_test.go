package awsdir_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

// appClient creates an app client on moto with c's token validities, in minutes.
func appClient(t *testing.T, f *awsdir.Fixture, c memdir.AppClientSpec) {
	t.Helper()
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(f.Pool()), ClientName: aws.String(c.Name),
		TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeMinutes}}
	if c.AccessTokenValidity > 0 {
		in.AccessTokenValidity = aws.Int32(int32(c.AccessTokenValidity.Minutes()))
	}
	if c.IDTokenValidity > 0 {
		in.IdTokenValidity = aws.Int32(int32(c.IDTokenValidity.Minutes()))
	}
	if _, err := f.Raw().CreateUserPoolClient(f.Ctx(), in); err != nil {
		t.Fatalf("creating app client %s: %v", c.Name, err)
	}
}

// smsMFA turns SMS MFA on for a user on moto, with the raw client.
func smsMFA(t *testing.T, f *awsdir.Fixture, username string) {
	t.Helper()
	_, err := f.Raw().AdminSetUserMFAPreference(f.Ctx(), &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(f.Pool()),
		Username: aws.String(username), SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}})
	if err != nil {
		t.Fatalf("turning on SMS MFA for %s: %v", username, err)
	}
}
