package memdir

import (
	"context"
	"fmt"
	"sort"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// PoolSchema is awsdir.Directory.PoolSchema.
func (m *Memory) PoolSchema(ctx context.Context, poolID string) (cognito.PoolSchema, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return cognito.PoolSchema{}, fmt.Errorf("reading the schema of pool: %w", err)
	}
	return cognito.SchemaOf(p.desc), nil
}

// DescribeGroups is awsdir.Directory.DescribeGroups.
func (m *Memory) DescribeGroups(ctx context.Context, poolID string) ([]cognito.Group, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	out := []cognito.Group{}
	for _, g := range p.groups {
		n := g.Precedence
		out = append(out, cognito.Group{Name: g.Name, Description: g.Description, Precedence: &n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
