package cognito

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// appClient creates an app client on moto with c's token validities, in minutes.
func (f *fixture) appClient(t *testing.T, c AppClientSpec) {
	t.Helper()
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(f.pool), ClientName: aws.String(c.Name),
		TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeMinutes}}
	if c.AccessTokenValidity > 0 {
		in.AccessTokenValidity = aws.Int32(int32(c.AccessTokenValidity.Minutes()))
	}
	if c.IDTokenValidity > 0 {
		in.IdTokenValidity = aws.Int32(int32(c.IDTokenValidity.Minutes()))
	}
	if _, err := f.raw.CreateUserPoolClient(f.ctx, in); err != nil {
		t.Fatalf("creating app client %s: %v", c.Name, err)
	}
}

// smsMFA turns SMS MFA on for a user on moto, with the raw client.
func (f *fixture) smsMFA(t *testing.T, username string) {
	t.Helper()
	_, err := f.raw.AdminSetUserMFAPreference(f.ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(f.pool),
		Username: aws.String(username), SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}})
	if err != nil {
		t.Fatalf("turning on SMS MFA for %s: %v", username, err)
	}
}
