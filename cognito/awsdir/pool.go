package awsdir

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// DescribePool returns a summary of the pool from a cached DescribeUserPool
// (see Options.CacheTTL), so EstimatedUsers may be a few minutes old.
func (d *Directory) DescribePool(ctx context.Context, poolID string) (cognito.PoolInfo, error) {
	api, err := d.api(poolID)
	if err != nil {
		return cognito.PoolInfo{}, fmt.Errorf("describing pool: %w", err)
	}
	p, err := d.describe(ctx, api, poolID)
	if err != nil {
		return cognito.PoolInfo{}, fmt.Errorf("describing pool %s: %w", poolID, err)
	}
	return cognito.PoolInfoOf(p), nil
}

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
		return nil, fmt.Errorf("%w: DescribeUserPool returned no pool", cognito.ErrPoolNotFound)
	}
	d.pools.put(poolID, out.UserPool)
	return out.UserPool, nil
}
