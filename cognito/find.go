package cognito

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// maxPageSize is the largest Limit ListUsers and its kin accept.
const maxPageSize = 60

// maxFilterLen is Cognito's limit on a ListUsers filter (UserFilterType).
const maxFilterLen = 256

var (
	subPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// E164Pattern matches a phone number in E.164 form, as a query and as the
	// in-memory twin's check of a phone_number write.
	E164Pattern  = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	phoneLayout  = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "")
	defaultFound = 10
)

// ClassifyQuery decides what a desk agent typed, without calling Cognito: an
// email if it contains "@" (trimmed and lowercased), a phone number if it starts
// with "+" (spaces, dashes, dots and parentheses removed; must then be E.164), a
// sub if it is a UUID (lowercased), else a username (trimmed, case kept since
// Cognito usernames may be case-sensitive). attribute is the ListUsers filter
// attribute: "email", "phone_number", "sub" or "username".
//
// Values that could change the meaning of a filter are rejected with
// ErrInvalidQuery rather than escaped: the Cognito docs only describe escaping
// `"` as `\"`, leave backslashes and control characters undocumented, and moto
// does not unescape at all, so no escaping scheme is known to be safe on every
// backend. No email, E.164 number or UUID legitimately contains them; a username
// that does can still be opened directly with GetUser, which takes no filter.
func ClassifyQuery(q string) (attribute, value string, err error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return "", "", fmt.Errorf("%w: empty query", ErrInvalidQuery)
	}
	if err := checkFilterValue(q); err != nil {
		return "", "", err
	}
	switch {
	case strings.Contains(q, "@"):
		return "email", strings.ToLower(q), nil
	case strings.HasPrefix(q, "+"):
		p := phoneLayout.Replace(q)
		if !E164Pattern.MatchString(p) {
			return "", "", fmt.Errorf("%w: %q is not a phone number in E.164 form (+ country code, digits)", ErrInvalidQuery, q)
		}
		return "phone_number", p, nil
	case subPattern.MatchString(q):
		return "sub", strings.ToLower(q), nil
	default:
		return "username", q, nil
	}
}

// checkFilterValue rejects values that could break out of, or be read
// differently inside, a quoted ListUsers filter value (see ClassifyQuery).
func checkFilterValue(v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: not valid UTF-8", ErrInvalidQuery)
	}
	for _, r := range v {
		switch {
		case r == '"' || r == '\\':
			return fmt.Errorf("%w: %q contains a quote or backslash", ErrInvalidQuery, v)
		case r != ' ' && !unicode.IsGraphic(r):
			return fmt.Errorf("%w: %q contains a control or invisible character", ErrInvalidQuery, v)
		}
	}
	return nil
}

// buildFilter renders `attribute op "value"` after checking value, e.g.
// `email = "a@example.com"`; op is "=" or "^=".
func buildFilter(attribute, op, value string) (string, error) {
	if err := checkFilterValue(value); err != nil {
		return "", err
	}
	f := attribute + " " + op + ` "` + value + `"`
	if len(f) > maxFilterLen {
		return "", fmt.Errorf("%w: value too long for a filter (%d bytes max)", ErrInvalidQuery, maxFilterLen)
	}
	return f, nil
}

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
func (d *Directory) FindUsers(ctx context.Context, poolID, query string, max int) ([]User, error) {
	attr, value, max, err := FindArgs(query, max)
	if err != nil {
		return nil, err
	}
	api, err := d.api(poolID)
	if err != nil {
		return nil, fmt.Errorf("finding users by %s: %w", attr, err)
	}
	var incomplete error
	for _, v := range FindValues(attr, value, query) {
		filter, err := buildFilter(attr, "=", v)
		if err != nil {
			return nil, fmt.Errorf("finding users by %s: %w", attr, err)
		}
		users, err := d.scan(ctx, api, poolID, filter, max)
		if err != nil && !errors.Is(err, ErrSearchIncomplete) {
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
		return []User{}, fmt.Errorf("finding users by %s: %w", attr, incomplete)
	}
	return []User{}, nil
}

// FindValues lists the filter values to try for a classified query: the
// normalised value, then for an email the value as typed if it differs.
func FindValues(attr, value, query string) []string {
	values := []string{value}
	if typed := strings.TrimSpace(query); attr == "email" && typed != value {
		values = append(values, typed)
	}
	return values
}

// scan pages through ListUsers with filter (the SDK paginator, so short and
// empty pages are followed, doc pitfall 1) and returns the first max matches by
// username. It reads to the end so that which users are returned does not
// depend on Cognito's order, but at most maxFindPages pages: when that cap is
// hit with fewer than max matches, it returns them with ErrSearchIncomplete.
func (d *Directory) scan(ctx context.Context, api cognitoAPI, poolID, filter string, max int) ([]User, error) {
	p := cip.NewListUsersPaginator(api, &cip.ListUsersInput{
		UserPoolId: aws.String(poolID),
		Filter:     aws.String(filter),
		Limit:      aws.Int32(d.listPageSize),
	}, func(o *cip.ListUsersPaginatorOptions) { o.StopOnDuplicateToken = true })
	users := []User{}
	for pages := 0; p.HasMorePages(); pages++ {
		if pages == maxFindPages {
			if len(users) >= max {
				break
			}
			sortByUsername(users)
			return users, fmt.Errorf("%w: %d pages read, %d matches so far; try a more specific query",
				ErrSearchIncomplete, pages, len(users))
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
func sortByUsername(users []User) {
	sort.Slice(users, func(i, j int) bool { return users[i].Username < users[j].Username })
}

// FindArgs checks FindUsers' arguments the same way for both directories and
// classifies the query; max 0 means defaultFound.
func FindArgs(query string, max int) (attr, value string, n int, err error) {
	if max < 0 {
		return "", "", 0, fmt.Errorf("finding users: %w: max %d is negative", ErrInvalidParameter, max)
	}
	if max == 0 {
		max = defaultFound
	}
	attr, value, err = ClassifyQuery(query)
	if err != nil {
		return "", "", 0, fmt.Errorf("finding users: %w", err)
	}
	return attr, value, max, nil
}
