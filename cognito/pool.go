package cognito

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// PoolInfo summarises a user pool for the bot's pool picker and for choosing
// how to address users (UsernameAttributes: sign-in by email/phone).
type PoolInfo struct {
	ID, Name           string
	EstimatedUsers     int
	UsernameAttributes []string // "email", "phone_number": used as sign-in names
	AliasAttributes    []string // "email", "phone_number", "preferred_username"
	MFA                string   // "OFF", "ON" or "OPTIONAL"
	// TemporaryPasswordValidityDays is how long an invitation's temporary
	// password works (Cognito's default 7): a FORCE_CHANGE_PASSWORD user last
	// modified longer ago needs ResendInvitation before they can sign in.
	TemporaryPasswordValidityDays int
	// AccountRecovery lists the recovery mechanisms by priority
	// ("verified_email", "verified_phone_number", or "admin_only" alone); empty
	// when the pool does not say, which Cognito treats as both verified ones.
	AccountRecovery []string
}

// PoolInfoOf summarises a DescribeUserPool answer (the in-memory twin, memdir, builds the same shape).
func PoolInfoOf(p *types.UserPoolType) PoolInfo {
	info := PoolInfo{
		ID:                            aws.ToString(p.Id),
		Name:                          aws.ToString(p.Name),
		EstimatedUsers:                int(p.EstimatedNumberOfUsers),
		UsernameAttributes:            []string{},
		AliasAttributes:               []string{},
		MFA:                           string(p.MfaConfiguration),
		TemporaryPasswordValidityDays: DefaultTemporaryPasswordDays,
	}
	if p.Policies != nil && p.Policies.PasswordPolicy != nil && p.Policies.PasswordPolicy.TemporaryPasswordValidityDays > 0 {
		info.TemporaryPasswordValidityDays = int(p.Policies.PasswordPolicy.TemporaryPasswordValidityDays)
	}
	info.AccountRecovery = []string{}
	if p.AccountRecoverySetting != nil {
		for _, r := range p.AccountRecoverySetting.RecoveryMechanisms {
			info.AccountRecovery = append(info.AccountRecovery, string(r.Name))
		}
	}
	for _, a := range p.UsernameAttributes {
		info.UsernameAttributes = append(info.UsernameAttributes, string(a))
	}
	for _, a := range p.AliasAttributes {
		info.AliasAttributes = append(info.AliasAttributes, string(a))
	}
	return info
}

// DefaultTemporaryPasswordDays is Cognito's default validity of a temporary
// password (and so of an invitation).
const DefaultTemporaryPasswordDays = 7

// poolIDPattern is "<region>_<id>", e.g. "us-gov-west-1_AbC123".
var poolIDPattern = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})_[0-9A-Za-z]{1,50}$`)

// PoolRegion returns the Region encoded in a user pool ID, or an error matching
// ErrInvalidParameter if poolID is not of the form "<region>_<id>".
func PoolRegion(poolID string) (string, error) {
	m := poolIDPattern.FindStringSubmatch(poolID)
	if m == nil {
		return "", fmt.Errorf("%w: user pool ID %q is not of the form <region>_<id>", ErrInvalidParameter, poolID)
	}
	return m[1], nil
}
