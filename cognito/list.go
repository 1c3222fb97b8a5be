package cognito

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Page is one page of ListUsers.
type Page struct {
	Users []User
	// NextToken resumes the listing after the last user of this page; it is
	// opaque and "" on the last page.
	NextToken string
}

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
func (d *Directory) ListUsers(ctx context.Context, poolID string, f ListFilter, limit int, pageToken string) (Page, error) {
	plan, err := ListArgs(f, limit)
	if err != nil {
		return Page{}, err
	}
	api, err := d.api(poolID)
	if err != nil {
		return Page{}, fmt.Errorf("listing users: %w", err)
	}
	fp := plan.Fingerprint(poolID)
	cur, err := DecodePageToken(pageToken, fp)
	if err != nil {
		return Page{}, fmt.Errorf("listing users: %w", err)
	}
	pages := d.pages(api, poolID, plan, cur.Token)
	users := []User{}
	for scanned := 1; ; scanned++ {
		raw, next, err := pages.next(ctx)
		if err != nil {
			return Page{}, fmt.Errorf("listing users: %w", err)
		}
		for i := cur.resumeIndex(raw); i < len(raw); i++ {
			if plan.match(raw[i]) {
				users = append(users, raw[i])
			}
			if len(users) < limit {
				continue
			}
			if i+1 < len(raw) { // stopped inside this Cognito page
				at := PagePos{Token: cur.Token, Consumed: i + 1, Last: raw[i].Username}
				return Page{Users: users, NextToken: at.Encode(fp)}, nil
			}
			break
		}
		if !pages.more() {
			return Page{Users: users}, nil
		}
		cur = PagePos{Token: next}
		if len(users) >= limit || scanned >= maxScanPages {
			return Page{Users: users, NextToken: cur.Encode(fp)}, nil
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
	next func(ctx context.Context) ([]User, string, error)
}

func (d *Directory) pages(api cognitoAPI, poolID string, p ListPlan, token string) userPages {
	var tok *string
	if token != "" {
		tok = aws.String(token)
	}
	if p.group != "" {
		pg := cip.NewListUsersInGroupPaginator(api, &cip.ListUsersInGroupInput{
			UserPoolId: aws.String(poolID), GroupName: aws.String(p.group), Limit: aws.Int32(d.listPageSize), NextToken: tok,
		}, func(o *cip.ListUsersInGroupPaginatorOptions) { o.StopOnDuplicateToken = true })
		return userPages{more: pg.HasMorePages, next: func(ctx context.Context) ([]User, string, error) {
			out, err := pg.NextPage(ctx)
			if err != nil {
				return nil, "", translate(err, ErrGroupNotFound)
			}
			return usersFromTypes(out.Users), aws.ToString(out.NextToken), nil
		}}
	}
	in := &cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(d.listPageSize), PaginationToken: tok}
	if p.filter != "" {
		in.Filter = aws.String(p.filter)
	}
	pg := cip.NewListUsersPaginator(api, in, func(o *cip.ListUsersPaginatorOptions) { o.StopOnDuplicateToken = true })
	return userPages{more: pg.HasMorePages, next: func(ctx context.Context) ([]User, string, error) {
		out, err := pg.NextPage(ctx)
		if err != nil {
			return nil, "", translate(err, nil)
		}
		return usersFromTypes(out.Users), aws.ToString(out.PaginationToken), nil
	}}
}

func usersFromTypes(ts []types.UserType) []User {
	users := make([]User, 0, len(ts))
	for _, t := range ts {
		users = append(users, userFromType(t))
	}
	return users
}

// PagePos is a position inside a listing: a Cognito page and how far into it.
type PagePos struct {
	Token    string `json:"t,omitempty"` // Cognito token of the page, "" for the first
	Consumed int    `json:"n,omitempty"` // users of that page already consumed
	Last     string `json:"u,omitempty"` // username of the last consumed user
	Listing  string `json:"f"`           // fingerprint of pool + filter
}

func (p PagePos) Encode(fingerprint string) string {
	p.Listing = fingerprint
	b, _ := json.Marshal(p) // cannot fail: strings and an int
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodePageToken parses a NextToken issued for the listing with fingerprint fp;
// "" is the start of the listing.
func DecodePageToken(tok, fp string) (PagePos, error) {
	if tok == "" {
		return PagePos{}, nil
	}
	var p PagePos
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil || p.Consumed < 0 || p.Consumed > maxPageSize {
		return PagePos{}, fmt.Errorf("%w: malformed page token", ErrInvalidParameter)
	}
	if p.Listing != fp {
		return PagePos{}, fmt.Errorf("%w: page token belongs to a different listing", ErrInvalidParameter)
	}
	return p, nil
}

// resumeIndex is where to continue in a re-read page: just after the last
// consumed user, found by username first and by count if it is gone.
func (p PagePos) resumeIndex(raw []User) int {
	if p.Consumed == 0 {
		return 0
	}
	if p.Consumed <= len(raw) && raw[p.Consumed-1].Username == p.Last {
		return p.Consumed
	}
	for i, u := range raw {
		if u.Username == p.Last {
			return i + 1
		}
	}
	// The last consumed user was deleted meanwhile, so the rest moved up one.
	return min(p.Consumed-1, len(raw))
}

// ListArgs checks ListUsers' arguments the same way for both directories and
// plans the listing.
func ListArgs(f ListFilter, limit int) (ListPlan, error) {
	if limit < 1 || limit > maxPageSize {
		return ListPlan{}, fmt.Errorf("listing users: %w: limit %d not in 1..%d", ErrInvalidParameter, limit, maxPageSize)
	}
	plan, err := planList(f)
	if err != nil {
		return ListPlan{}, fmt.Errorf("listing users: %w", err)
	}
	return plan, nil
}
