package memdir

import (
	"context"
	"fmt"
	"strings"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// memMaxGroupsPerUser is Cognito's limit on one user's group memberships.
const memMaxGroupsPerUser = 100

// AddToGroup is awsdir.Directory.AddToGroup; adding a member again changes nothing.
func (m *Memory) AddToGroup(ctx context.Context, poolID, username, group string) (cognito.Result, error) {
	what := "adding user %q to group " + strings.ReplaceAll(fmt.Sprintf("%q", group), "%", "%%")
	return m.withGroup(ctx, poolID, username, group, what, func(u *memUser) error {
		if !u.groups[group] && len(u.groups) >= memMaxGroupsPerUser {
			return fmt.Errorf("%w: a user can be in at most %d groups", cognito.ErrLimitExceeded, memMaxGroupsPerUser)
		}
		u.groups[group] = true
		return nil
	})
}

// RemoveFromGroup is awsdir.Directory.RemoveFromGroup; removing a non-member changes
// nothing.
func (m *Memory) RemoveFromGroup(ctx context.Context, poolID, username, group string) (cognito.Result, error) {
	what := "removing user %q from group " + strings.ReplaceAll(fmt.Sprintf("%q", group), "%", "%%")
	return m.withGroup(ctx, poolID, username, group, what, func(u *memUser) error {
		delete(u.groups, group)
		return nil
	})
}

// withGroup is withUser for a group operation: the group must exist too.
func (m *Memory) withGroup(ctx context.Context, poolID, username, group, what string, change func(u *memUser) error) (cognito.Result, error) {
	if group == "" {
		return cognito.Result{}, fmt.Errorf("%s: %w: empty group name", fmt.Sprintf(what, username), cognito.ErrInvalidParameter)
	}
	return m.withUser(ctx, poolID, username, what, func(p *memPool, u *memUser) error {
		if _, ok := p.groups[group]; !ok {
			return fmt.Errorf("%w: %q", cognito.ErrGroupNotFound, group)
		}
		return change(u)
	})
}
