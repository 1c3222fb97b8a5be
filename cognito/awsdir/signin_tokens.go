package awsdir

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// defaultTokenValidity is Cognito's default access and ID token lifetime.
const defaultTokenValidity = time.Hour

// TokenLifetime is how long access or ID tokens already issued by any of the
// pool's app clients may stay valid: the longest access/ID token validity
// among them (ListUserPoolClients, then DescribeUserPoolClient for each).
// Disabling or signing a user out cannot recall them from apps that verify
// JWTs locally. The answer is cached like DescribePool; 0 means the pool has
// no app clients.
func (d *Directory) TokenLifetime(ctx context.Context, poolID string) (time.Duration, error) {
	fail := func(err error) (time.Duration, error) {
		return 0, fmt.Errorf("reading token lifetimes of pool %s: %w", poolID, err)
	}
	if v, ok := d.lifetimes.get(poolID); ok {
		return v, nil
	}
	api, err := d.api(poolID)
	if err != nil {
		return fail(err)
	}
	var longest time.Duration
	p := cip.NewListUserPoolClientsPaginator(api, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(60)},
		func(o *cip.ListUserPoolClientsPaginatorOptions) { o.StopOnDuplicateToken = true })
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fail(translate(err, nil))
		}
		for _, c := range page.UserPoolClients {
			out, err := api.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: c.ClientId})
			if err != nil {
				return fail(translate(err, nil))
			}
			if out.UserPoolClient != nil {
				longest = max(longest, clientTokenLifetime(*out.UserPoolClient))
			}
		}
	}
	d.lifetimes.put(poolID, longest)
	return longest, nil
}

// clientTokenLifetime is the longer of an app client's access and ID token
// validity, in its TokenValidityUnits (hours when unset; 1 h when no validity
// is set).
func clientTokenLifetime(c types.UserPoolClientType) time.Duration {
	var accessUnit, idUnit types.TimeUnitsType
	if u := c.TokenValidityUnits; u != nil {
		accessUnit, idUnit = u.AccessToken, u.IdToken
	}
	return max(validity(c.AccessTokenValidity, accessUnit), validity(c.IdTokenValidity, idUnit))
}

func validity(v *int32, unit types.TimeUnitsType) time.Duration {
	if v == nil || *v <= 0 {
		return defaultTokenValidity
	}
	n := time.Duration(*v)
	switch unit {
	case types.TimeUnitsTypeSeconds:
		return n * time.Second
	case types.TimeUnitsTypeMinutes:
		return n * time.Minute
	case types.TimeUnitsTypeDays:
		return n * 24 * time.Hour
	}
	return n * time.Hour
}
