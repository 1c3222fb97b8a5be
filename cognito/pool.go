package cognito

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
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

// DescribePool returns a summary of the pool from a cached DescribeUserPool
// (see Options.CacheTTL), so EstimatedUsers may be a few minutes old.
func (d *Directory) DescribePool(ctx context.Context, poolID string) (PoolInfo, error) {
	api, err := d.api(poolID)
	if err != nil {
		return PoolInfo{}, fmt.Errorf("describing pool: %w", err)
	}
	p, err := d.describe(ctx, api, poolID)
	if err != nil {
		return PoolInfo{}, fmt.Errorf("describing pool %s: %w", poolID, err)
	}
	return PoolInfoOf(p), nil
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

// describe returns the pool's description, from the cache when fresh. The
// result is shared: callers must not modify it.
func (d *Directory) describe(ctx context.Context, api cognitoAPI, poolID string) (*types.UserPoolType, error) {
	if p, ok := d.pools.get(poolID); ok {
		return p, nil
	}
	out, err := api.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		return nil, translate(err, nil)
	}
	if out.UserPool == nil {
		return nil, fmt.Errorf("%w: DescribeUserPool returned no pool", ErrPoolNotFound)
	}
	d.pools.put(poolID, out.UserPool)
	return out.UserPool, nil
}
