package awsdir

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// ListGroups returns the names of the pool's groups, sorted. The list is cached
// (Options.CacheTTL, 5 minutes by default) because ListGroups is limited to
// 5 RPS per pool and groups rarely change; a group created meanwhile shows up
// when the entry expires.
func (d *Directory) ListGroups(ctx context.Context, poolID string) ([]string, error) {
	api, err := d.api(poolID)
	if err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	if g, ok := d.groups.get(poolID); ok {
		return append([]string{}, g...), nil
	}
	p := cip.NewListGroupsPaginator(api, &cip.ListGroupsInput{UserPoolId: aws.String(poolID)},
		func(o *cip.ListGroupsPaginatorOptions) { o.StopOnDuplicateToken = true })
	names := []string{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing groups of pool %s: %w", poolID, translate(err, nil))
		}
		for _, g := range page.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
	}
	sort.Strings(names)
	d.groups.put(poolID, names)
	return append([]string{}, names...), nil
}

// AddToGroup adds the user to group (ErrGroupNotFound if it does not exist).
// The membership appears in the cognito:groups claim of newly issued tokens only.
func (d *Directory) AddToGroup(ctx context.Context, poolID, username, group string) (cognito.Result, error) {
	api, err := d.groupAPI(poolID, username, group)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("adding user %q to group %q: %w", username, group, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), GroupName: aws.String(group),
	}, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("adding user %q to group %q: %w", username, group, t.result(err, cognito.ErrGroupNotFound))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("added user to group", poolID, res)
	return res, nil
}

// RemoveFromGroup removes the user from group (ErrGroupNotFound if it does not exist).
func (d *Directory) RemoveFromGroup(ctx context.Context, poolID, username, group string) (cognito.Result, error) {
	api, err := d.groupAPI(poolID, username, group)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("removing user %q from group %q: %w", username, group, err)
	}
	t := &outcomeTracker{}
	out, err := api.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), GroupName: aws.String(group),
	}, t.option)
	if err != nil {
		return cognito.Result{}, fmt.Errorf("removing user %q from group %q: %w", username, group, t.result(err, cognito.ErrGroupNotFound))
	}
	res := resultOf(out.ResultMetadata)
	d.logDone("removed user from group", poolID, res)
	return res, nil
}

func (d *Directory) groupAPI(poolID, username, group string) (cognitoAPI, error) {
	if group == "" {
		return nil, fmt.Errorf("%w: empty group name", cognito.ErrInvalidParameter)
	}
	return d.userAPI(poolID, username)
}

// DescribeGroups returns every group of the pool with its description and
// precedence, sorted by name. Unlike ListGroups it is not cached: a desk asking
// for the groups wants them as they are now.
func (d *Directory) DescribeGroups(ctx context.Context, poolID string) ([]cognito.Group, error) {
	api, err := d.api(poolID)
	if err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	p := cip.NewListGroupsPaginator(api, &cip.ListGroupsInput{UserPoolId: aws.String(poolID)},
		func(o *cip.ListGroupsPaginatorOptions) { o.StopOnDuplicateToken = true })
	out := []cognito.Group{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing groups of pool %s: %w", poolID, translate(err, nil))
		}
		for _, g := range page.Groups {
			grp := cognito.Group{Name: aws.ToString(g.GroupName), Description: aws.ToString(g.Description)}
			if g.Precedence != nil {
				n := int(*g.Precedence)
				grp.Precedence = &n
			}
			out = append(out, grp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
