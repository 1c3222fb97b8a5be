package awsdir

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// maxScanPages bounds how many Cognito pages one ListUsers call reads while
// client-side criteria discard users, so that a selective filter over a large
// pool cannot hold a Slack request (and the 30 RPS UserList quota) for minutes.
const maxScanPages = 20

// ListUsers returns one page of at most limit users (1..60) matching f, starting
// at pageToken ("" for the first page).
//
// Cognito pages may be short or even empty, and client-side criteria drop more
// users, so ListUsers keeps reading Cognito pages until it has limit users or
// Cognito has no more. It may stop in the middle of a Cognito page; NextToken
// then encodes that page's Cognito token, how many of its users were consumed and
// the last consumed username (Cognito pages are always requested with the same
// size, so re-reading the page with the same token gives the same users; the
// username guards against users deleted meanwhile). The token also carries a
// fingerprint of the pool and filter, and a token from another listing is
// refused with ErrInvalidParameter.
//
// After reading maxScanPages Cognito pages without filling the page, it returns
// what it has with a NextToken, like Cognito's own short pages.
func (d *Directory) ListUsers(ctx context.Context, poolID string, f cognito.ListFilter, limit int, pageToken string) (cognito.Page, error) {
	plan, err := cognito.ListArgs(f, limit)
	if err != nil {
		return cognito.Page{}, err
	}
	api, err := d.api(poolID)
	if err != nil {
		return cognito.Page{}, fmt.Errorf("listing users: %w", err)
	}
	fp := plan.Fingerprint(poolID)
	cur, err := cognito.DecodePageToken(pageToken, fp)
	if err != nil {
		return cognito.Page{}, fmt.Errorf("listing users: %w", err)
	}
	pages := d.pages(api, poolID, plan, cur.Token)
	users := []cognito.User{}
	for scanned := 1; ; scanned++ {
		raw, next, err := pages.next(ctx)
		if err != nil {
			return cognito.Page{}, fmt.Errorf("listing users: %w", err)
		}
		for i := cur.ResumeIndex(raw); i < len(raw); i++ {
			if plan.Match(raw[i]) {
				users = append(users, raw[i])
			}
			if len(users) < limit {
				continue
			}
			if i+1 < len(raw) { // stopped inside this Cognito page
				at := cognito.PagePos{Token: cur.Token, Consumed: i + 1, Last: raw[i].Username}
				return cognito.Page{Users: users, NextToken: at.Encode(fp)}, nil
			}
			break
		}
		if !pages.more() {
			return cognito.Page{Users: users}, nil
		}
		cur = cognito.PagePos{Token: next}
		if len(users) >= limit || scanned >= maxScanPages {
			return cognito.Page{Users: users, NextToken: cur.Encode(fp)}, nil
		}
	}
}

// userPages walks Cognito pages of users with the SDK's paginators (ListUsers,
// or ListUsersInGroup for a group listing) from a given token, each page of
// d.listPageSize users.
type userPages struct {
	more func() bool
	// next reads one page and returns its users and Cognito's token for the
	// page after it.
	next func(ctx context.Context) ([]cognito.User, string, error)
}

func (d *Directory) pages(api cognitoAPI, poolID string, p cognito.ListPlan, token string) userPages {
	var tok *string
	if token != "" {
		tok = aws.String(token)
	}
	if p.Group() != "" {
		pg := cip.NewListUsersInGroupPaginator(api, &cip.ListUsersInGroupInput{
			UserPoolId: aws.String(poolID), GroupName: aws.String(p.Group()), Limit: aws.Int32(d.listPageSize), NextToken: tok,
		}, func(o *cip.ListUsersInGroupPaginatorOptions) { o.StopOnDuplicateToken = true })
		return userPages{more: pg.HasMorePages, next: func(ctx context.Context) ([]cognito.User, string, error) {
			out, err := pg.NextPage(ctx)
			if err != nil {
				return nil, "", translate(err, cognito.ErrGroupNotFound)
			}
			return usersFromTypes(out.Users), aws.ToString(out.NextToken), nil
		}}
	}
	in := &cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(d.listPageSize), PaginationToken: tok}
	if p.Filter() != "" {
		in.Filter = aws.String(p.Filter())
	}
	pg := cip.NewListUsersPaginator(api, in, func(o *cip.ListUsersPaginatorOptions) { o.StopOnDuplicateToken = true })
	return userPages{more: pg.HasMorePages, next: func(ctx context.Context) ([]cognito.User, string, error) {
		out, err := pg.NextPage(ctx)
		if err != nil {
			return nil, "", translate(err, nil)
		}
		return usersFromTypes(out.Users), aws.ToString(out.PaginationToken), nil
	}}
}

func usersFromTypes(ts []types.UserType) []cognito.User {
	users := make([]cognito.User, 0, len(ts))
	for _, t := range ts {
		users = append(users, userFromType(t))
	}
	return users
}
