package awsdir

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// maxFindPages caps how many Cognito pages one FindUsers search reads. A lookup
// by email, phone, sub or username normally ends on the first page; a pool whose
// ListUsers keeps answering short or empty pages must not hold a Slack request
// (and the 30 RPS UserList quota) for minutes. Hitting the cap is reported with
// ErrSearchIncomplete, never as "no such user".
const maxFindPages = 10

// FindUsers resolves what a desk agent typed (see ClassifyQuery) with ListUsers
// and a matching filter: unlike AdminGetUser it adds nothing to the MAU bill.
// It returns at most max users (0 means 10), sorted by username; several may
// match an email or phone when those are not unique in the pool. If a lowercased
// email finds nothing, the email is tried once more as typed, since filter case
// rules are undocumented.
//
// Each search reads at most maxFindPages Cognito pages. When that cap stops it
// before the end of the pool, FindUsers returns what it found so far (possibly
// nothing) together with an error matching ErrSearchIncomplete.
func (d *Directory) FindUsers(ctx context.Context, poolID, query string, max int) ([]cognito.User, error) {
	attr, value, max, err := cognito.FindArgs(query, max)
	if err != nil {
		return nil, err
	}
	api, err := d.api(poolID)
	if err != nil {
		return nil, fmt.Errorf("finding users by %s: %w", attr, err)
	}
	var incomplete error
	for _, v := range cognito.FindValues(attr, value, query) {
		filter, err := cognito.BuildFilter(attr, "=", v)
		if err != nil {
			return nil, fmt.Errorf("finding users by %s: %w", attr, err)
		}
		users, err := d.scan(ctx, api, poolID, filter, max)
		if err != nil && !errors.Is(err, cognito.ErrSearchIncomplete) {
			return nil, fmt.Errorf("finding users by %s: %w", attr, err)
		}
		if err != nil {
			incomplete = err
		}
		if len(users) > 0 {
			if err != nil {
				return users, fmt.Errorf("finding users by %s: %w", attr, err)
			}
			return users, nil
		}
	}
	if incomplete != nil {
		return []cognito.User{}, fmt.Errorf("finding users by %s: %w", attr, incomplete)
	}
	return []cognito.User{}, nil
}

// scan pages through ListUsers with filter (the SDK paginator, so short and
// empty pages are followed, doc pitfall 1) and returns the first max matches by
// username. It reads to the end so that which users are returned does not
// depend on Cognito's order, but at most maxFindPages pages: when that cap is
// hit with fewer than max matches, it returns them with ErrSearchIncomplete.
func (d *Directory) scan(ctx context.Context, api cognitoAPI, poolID, filter string, max int) ([]cognito.User, error) {
	p := cip.NewListUsersPaginator(api, &cip.ListUsersInput{
		UserPoolId: aws.String(poolID),
		Filter:     aws.String(filter),
		Limit:      aws.Int32(d.listPageSize),
	}, func(o *cip.ListUsersPaginatorOptions) { o.StopOnDuplicateToken = true })
	users := []cognito.User{}
	for pages := 0; p.HasMorePages(); pages++ {
		if pages == maxFindPages {
			if len(users) >= max {
				break
			}
			sortByUsername(users)
			return users, fmt.Errorf("%w: %d pages read, %d matches so far; try a more specific query",
				cognito.ErrSearchIncomplete, pages, len(users))
		}
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, translate(err, nil)
		}
		for _, u := range page.Users {
			users = append(users, userFromType(u))
		}
	}
	sortByUsername(users)
	return users[:min(len(users), max)], nil
}

// sortByUsername orders users the way every listing of this package does.
func sortByUsername(users []cognito.User) {
	sort.Slice(users, func(i, j int) bool { return users[i].Username < users[j].Username })
}
