package awsdir

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// newUser builds a User from the parts shared by ListUsers' UserType and
// AdminGetUser's output.
func newUser(username *string, attrs []types.AttributeType, status types.UserStatusType,
	enabled bool, created, modified *time.Time) cognito.User {
	u := cognito.User{
		Username:   aws.ToString(username),
		Status:     string(status),
		Enabled:    enabled,
		Created:    aws.ToTime(created),
		Modified:   aws.ToTime(modified),
		Attributes: make(map[string]string, len(attrs)),
	}
	for _, a := range attrs {
		u.Attributes[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	u.LiftAttributes()
	return u
}

func userFromType(t types.UserType) cognito.User {
	return newUser(t.Username, t.Attributes, t.UserStatus, t.Enabled, t.UserCreateDate, t.UserLastModifiedDate)
}

// GetUser reads one user authoritatively with AdminGetUser (which, unlike
// FindUsers, makes the user a billable MAU for the month) and lists all of the
// user's groups. username may also be an alias the pool resolves.
//
// The two calls are independent, so they run side by side: a lookup waits
// for the slower of them, not for both. When username turns out to be an
// alias, the groups are listed again under the username it resolved to.
func (d *Directory) GetUser(ctx context.Context, poolID, username string) (*cognito.User, error) {
	api, err := d.api(poolID)
	if err != nil {
		return nil, fmt.Errorf("getting user %q: %w", username, err)
	}
	type listing struct {
		groups []string
		err    error
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	listed := make(chan listing, 1)
	go func() {
		groups, err := d.listGroupsOf(lctx, api, poolID, username)
		listed <- listing{groups, err}
	}()
	u, err := d.adminGetUser(ctx, api, poolID, username)
	if err != nil {
		return nil, fmt.Errorf("getting user %q: %w", username, err)
	}
	l := <-listed
	if u.Username != username {
		l.groups, l.err = d.listGroupsOf(ctx, api, poolID, u.Username)
	}
	if l.err != nil {
		return nil, fmt.Errorf("listing groups of user %q: %w", username, l.err)
	}
	u.Groups = l.groups
	return u, nil
}

// listGroupsOf lists every group of username, sorted.
func (d *Directory) listGroupsOf(ctx context.Context, api cognitoAPI, poolID, username string) ([]string, error) {
	p := cip.NewAdminListGroupsForUserPaginator(api, &cip.AdminListGroupsForUserInput{
		UserPoolId: aws.String(poolID),
		Username:   aws.String(username),
	}, func(o *cip.AdminListGroupsForUserPaginatorOptions) { o.StopOnDuplicateToken = true })
	groups := []string{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, translate(err, nil)
		}
		for _, g := range page.Groups {
			groups = append(groups, aws.ToString(g.GroupName))
		}
	}
	sort.Strings(groups)
	return groups, nil
}

// adminGetUser is AdminGetUser with errors translated but without context.
func (d *Directory) adminGetUser(ctx context.Context, api cognitoAPI, poolID, username string) (*cognito.User, error) {
	out, err := api.AdminGetUser(ctx, &cip.AdminGetUserInput{
		UserPoolId: aws.String(poolID),
		Username:   aws.String(username),
	})
	if err != nil {
		return nil, translate(err, nil)
	}
	u := newUser(out.Username, out.UserAttributes, out.UserStatus, out.Enabled, out.UserCreateDate, out.UserLastModifiedDate)
	u.MFAMethods = append([]string{}, out.UserMFASettingList...)
	u.PreferredMFA = aws.ToString(out.PreferredMfaSetting)
	return &u, nil
}
