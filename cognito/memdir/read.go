package memdir

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// GetUser is awsdir.Directory.GetUser: the user (found by username or alias) with
// MFA details and sorted groups.
func (m *Memory) GetUser(ctx context.Context, poolID, username string) (*cognito.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("getting user %q: %w", username, err)
	}
	u, err := p.find(username)
	if err != nil {
		return nil, fmt.Errorf("getting user %q: %w", username, err)
	}
	out := u.detailed()
	out.Groups = []string{}
	for g := range u.groups {
		out.Groups = append(out.Groups, g)
	}
	sort.Strings(out.Groups)
	return out, nil
}

// FindUsers is awsdir.Directory.FindUsers: the same query classification, the same
// exact matches (an email lowercased first, then as typed), sorted by
// username. A Memory search always reaches the end of the pool.
func (m *Memory) FindUsers(ctx context.Context, poolID, query string, max int) ([]cognito.User, error) {
	attr, value, max, err := cognito.FindArgs(query, max)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("finding users by %s: %w", attr, err)
	}
	for _, v := range cognito.FindValues(attr, value, query) {
		users := []cognito.User{}
		for _, u := range p.sorted() {
			if len(users) < max && cognito.AttributeValue(cognito.User{Username: u.username, Attributes: u.attrs}, attr) == v {
				users = append(users, u.listed())
			}
		}
		if len(users) > 0 {
			return users, nil
		}
	}
	return []cognito.User{}, nil
}

// ListUsers is awsdir.Directory.ListUsers: the same filters, validation and limits,
// and opaque page tokens bound to the listing. Pages are always full, and
// users come sorted by username.
func (m *Memory) ListUsers(ctx context.Context, poolID string, f cognito.ListFilter, limit int, pageToken string) (cognito.Page, error) {
	plan, err := cognito.ListArgs(f, limit)
	if err != nil {
		return cognito.Page{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return cognito.Page{}, fmt.Errorf("listing users: %w", err)
	}
	fp := plan.Fingerprint(poolID)
	cur, err := cognito.DecodePageToken(pageToken, fp)
	if err != nil {
		return cognito.Page{}, fmt.Errorf("listing users: %w", err)
	}
	if _, ok := p.groups[f.Group]; f.Group != "" && !ok {
		return cognito.Page{}, fmt.Errorf("listing users: %w: %q", cognito.ErrGroupNotFound, f.Group)
	}
	page := cognito.Page{Users: []cognito.User{}}
	for _, u := range p.sorted() {
		if cur.Last != "" && u.username <= cur.Last || !memMatch(f, u) {
			continue
		}
		if len(page.Users) == limit {
			page.NextToken = cognito.PagePos{Last: page.Users[limit-1].Username}.Encode(fp)
			break
		}
		page.Users = append(page.Users, u.listed())
	}
	return page, nil
}

// memMatch applies every criterion of f, with Cognito's case rules: status
// case-insensitive, prefixes exact.
func memMatch(f cognito.ListFilter, u *memUser) bool {
	switch {
	case f.Group != "" && !u.groups[f.Group]:
		return false
	case f.Attribute != "" && !strings.HasPrefix(cognito.AttributeValue(cognito.User{Username: u.username, Attributes: u.attrs}, f.Attribute), f.Prefix):
		return false
	case f.Status != "" && !strings.EqualFold(f.Status, u.status):
		return false
	case f.Enabled != nil && *f.Enabled != u.enabled:
		return false
	}
	return true
}

// ListGroups is awsdir.Directory.ListGroups: the pool's group names, sorted.
func (m *Memory) ListGroups(ctx context.Context, poolID string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	names := []string{}
	for g := range p.groups {
		names = append(names, g)
	}
	sort.Strings(names)
	return names, nil
}

// DescribePool is awsdir.Directory.DescribePool, with an exact user count.
func (m *Memory) DescribePool(ctx context.Context, poolID string) (cognito.PoolInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return cognito.PoolInfo{}, fmt.Errorf("describing pool %s: %w", poolID, err)
	}
	desc := *p.desc
	desc.EstimatedNumberOfUsers = int32(len(p.users))
	return cognito.PoolInfoOf(&desc), nil
}
