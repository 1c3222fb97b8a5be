package cognito

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// Group is one group of a pool as the desk sees it.
type Group struct {
	Name        string
	Description string
	// Precedence decides which group's IAM role wins for a member of several
	// (lower wins); nil when the group has none.
	Precedence *int
}

// DescribeGroups returns every group of the pool with its description and
// precedence, sorted by name. Unlike ListGroups it is not cached: a desk asking
// for the groups wants them as they are now.
func (d *Directory) DescribeGroups(ctx context.Context, poolID string) ([]Group, error) {
	api, err := d.api(poolID)
	if err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	p := cip.NewListGroupsPaginator(api, &cip.ListGroupsInput{UserPoolId: aws.String(poolID)},
		func(o *cip.ListGroupsPaginatorOptions) { o.StopOnDuplicateToken = true })
	out := []Group{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing groups of pool %s: %w", poolID, translate(err, nil))
		}
		for _, g := range page.Groups {
			grp := Group{Name: aws.ToString(g.GroupName), Description: aws.ToString(g.Description)}
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
