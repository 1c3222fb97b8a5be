package cognito

import (
	"context"
	"fmt"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// limiterSet is one rate limiter per quota category, for one Region.
type limiterSet [numCategories]*limiter

// newLimiterSet builds the limiters of one Region; onWait (nil for none) is
// told about every wait with the category's name.
func newLimiterSet(q Quotas, c *clock, onWait func(category string, waited time.Duration)) *limiterSet {
	var s limiterSet
	for cat := range numCategories {
		s[cat] = newLimiter(q.rate(cat), c).sharedBy(q.Budget)
		if onWait != nil {
			name := cat.String()
			s[cat].onWait = func(waited time.Duration) { onWait(name, waited) }
		}
	}
	return &s
}

// limitedAPI makes every SDK call wait for its quota category's token first
// (cognito-and-dynamodb.md §5), so the bot stays under Cognito's per-Region
// quotas instead of burning them and hitting TooManyRequestsException. Because
// it implements cognitoAPI, SDK paginators wrapped around it are limited too,
// one token per page. SDK retries of a call are not limited again: the SDK backs
// off on its own.
type limitedAPI struct {
	next cognitoAPI
	lim  *limiterSet
}

var _ cognitoAPI = limitedAPI{}

// wait takes category c's token. Its failure (ctx ended while waiting) means
// the call was never sent, which the outcome tracking in outcome.go relies on.
func (l limitedAPI) wait(ctx context.Context, c category) error {
	if err := l.lim[c].Wait(ctx); err != nil {
		return fmt.Errorf("waiting for the %s rate limit: %w", c, err)
	}
	return nil
}

func (l limitedAPI) AdminGetUser(ctx context.Context, in *cip.AdminGetUserInput, o ...func(*cip.Options)) (*cip.AdminGetUserOutput, error) {
	if err := l.wait(ctx, catUserRead); err != nil {
		return nil, err
	}
	return l.next.AdminGetUser(ctx, in, o...)
}

func (l limitedAPI) AdminListGroupsForUser(ctx context.Context, in *cip.AdminListGroupsForUserInput, o ...func(*cip.Options)) (*cip.AdminListGroupsForUserOutput, error) {
	if err := l.wait(ctx, catUserResourceRead); err != nil {
		return nil, err
	}
	return l.next.AdminListGroupsForUser(ctx, in, o...)
}

func (l limitedAPI) ListUsers(ctx context.Context, in *cip.ListUsersInput, o ...func(*cip.Options)) (*cip.ListUsersOutput, error) {
	if err := l.wait(ctx, catUserList); err != nil {
		return nil, err
	}
	return l.next.ListUsers(ctx, in, o...)
}

func (l limitedAPI) ListUsersInGroup(ctx context.Context, in *cip.ListUsersInGroupInput, o ...func(*cip.Options)) (*cip.ListUsersInGroupOutput, error) {
	if err := l.wait(ctx, catUserList); err != nil {
		return nil, err
	}
	return l.next.ListUsersInGroup(ctx, in, o...)
}

func (l limitedAPI) AdminCreateUser(ctx context.Context, in *cip.AdminCreateUserInput, o ...func(*cip.Options)) (*cip.AdminCreateUserOutput, error) {
	if err := l.wait(ctx, catUserCreation); err != nil {
		return nil, err
	}
	return l.next.AdminCreateUser(ctx, in, o...)
}

func (l limitedAPI) AdminUpdateUserAttributes(ctx context.Context, in *cip.AdminUpdateUserAttributesInput, o ...func(*cip.Options)) (*cip.AdminUpdateUserAttributesOutput, error) {
	if err := l.wait(ctx, catUserUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminUpdateUserAttributes(ctx, in, o...)
}

func (l limitedAPI) AdminDeleteUserAttributes(ctx context.Context, in *cip.AdminDeleteUserAttributesInput, o ...func(*cip.Options)) (*cip.AdminDeleteUserAttributesOutput, error) {
	if err := l.wait(ctx, catUserUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminDeleteUserAttributes(ctx, in, o...)
}

func (l limitedAPI) AdminDisableUser(ctx context.Context, in *cip.AdminDisableUserInput, o ...func(*cip.Options)) (*cip.AdminDisableUserOutput, error) {
	if err := l.wait(ctx, catUserUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminDisableUser(ctx, in, o...)
}

func (l limitedAPI) AdminEnableUser(ctx context.Context, in *cip.AdminEnableUserInput, o ...func(*cip.Options)) (*cip.AdminEnableUserOutput, error) {
	if err := l.wait(ctx, catUserUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminEnableUser(ctx, in, o...)
}

func (l limitedAPI) AdminResetUserPassword(ctx context.Context, in *cip.AdminResetUserPasswordInput, o ...func(*cip.Options)) (*cip.AdminResetUserPasswordOutput, error) {
	if err := l.wait(ctx, catUserAccountRecovery); err != nil {
		return nil, err
	}
	return l.next.AdminResetUserPassword(ctx, in, o...)
}

func (l limitedAPI) AdminSetUserPassword(ctx context.Context, in *cip.AdminSetUserPasswordInput, o ...func(*cip.Options)) (*cip.AdminSetUserPasswordOutput, error) {
	if err := l.wait(ctx, catUserAccountRecovery); err != nil {
		return nil, err
	}
	return l.next.AdminSetUserPassword(ctx, in, o...)
}

func (l limitedAPI) AdminUserGlobalSignOut(ctx context.Context, in *cip.AdminUserGlobalSignOutInput, o ...func(*cip.Options)) (*cip.AdminUserGlobalSignOutOutput, error) {
	if err := l.wait(ctx, catUserUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminUserGlobalSignOut(ctx, in, o...)
}

func (l limitedAPI) AdminDeleteUser(ctx context.Context, in *cip.AdminDeleteUserInput, o ...func(*cip.Options)) (*cip.AdminDeleteUserOutput, error) {
	if err := l.wait(ctx, catUserUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminDeleteUser(ctx, in, o...)
}

func (l limitedAPI) ListGroups(ctx context.Context, in *cip.ListGroupsInput, o ...func(*cip.Options)) (*cip.ListGroupsOutput, error) {
	if err := l.wait(ctx, catUserPoolResourceRead); err != nil {
		return nil, err
	}
	return l.next.ListGroups(ctx, in, o...)
}

func (l limitedAPI) AdminAddUserToGroup(ctx context.Context, in *cip.AdminAddUserToGroupInput, o ...func(*cip.Options)) (*cip.AdminAddUserToGroupOutput, error) {
	if err := l.wait(ctx, catUserUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminAddUserToGroup(ctx, in, o...)
}

func (l limitedAPI) AdminRemoveUserFromGroup(ctx context.Context, in *cip.AdminRemoveUserFromGroupInput, o ...func(*cip.Options)) (*cip.AdminRemoveUserFromGroupOutput, error) {
	if err := l.wait(ctx, catUserUpdate); err != nil {
		return nil, err
	}
	return l.next.AdminRemoveUserFromGroup(ctx, in, o...)
}

func (l limitedAPI) DescribeUserPool(ctx context.Context, in *cip.DescribeUserPoolInput, o ...func(*cip.Options)) (*cip.DescribeUserPoolOutput, error) {
	if err := l.wait(ctx, catUserPoolRead); err != nil {
		return nil, err
	}
	return l.next.DescribeUserPool(ctx, in, o...)
}
