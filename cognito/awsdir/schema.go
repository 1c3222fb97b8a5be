package awsdir

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// PoolSchema returns the pool's attributes and password policy from the cached
// DescribeUserPool (see Options.CacheTTL).
func (d *Directory) PoolSchema(ctx context.Context, poolID string) (cognito.PoolSchema, error) {
	api, err := d.api(poolID)
	if err != nil {
		return cognito.PoolSchema{}, fmt.Errorf("reading the schema of pool: %w", err)
	}
	p, err := d.describe(ctx, api, poolID)
	if err != nil {
		return cognito.PoolSchema{}, fmt.Errorf("reading the schema of pool %s: %w", poolID, err)
	}
	return cognito.SchemaOf(p), nil
}
