package awsdir

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

func TestListUsersValidation(t *testing.T) {
	r := &recorder{}
	d, _ := newRecorded(r)
	ctx := testIntent()
	for _, limit := range []int{0, -1, 61} {
		if _, err := d.ListUsers(ctx, "us-east-1_abc", cognito.ListFilter{}, limit, ""); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("limit %d: got %v, want ErrInvalidParameter", limit, err)
		}
	}
	if _, err := d.ListUsers(ctx, "us-east-1_abc", cognito.ListFilter{Attribute: "custom:x", Prefix: "a"}, 5, ""); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Errorf("custom attribute: got %v", err)
	}
	if _, err := d.ListUsers(ctx, "us-east-1_abc", cognito.ListFilter{}, 5, "garbage"); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Errorf("bad token: got %v", err)
	}
	if len(r.calls) != 0 {
		t.Fatalf("calls made: %v", r.calls)
	}
}

// TestListUsersPagingWithShortPages walks a listing whose Cognito pages are
// short, empty or full, with a client-side filter, and checks that the pages
// together hold every matching user exactly once, in order.
func TestListUsersPagingWithShortPages(t *testing.T) {
	for _, limit := range []int{1, 2, 3, 5, 7, 60} {
		t.Run(fmt.Sprint("limit", limit), func(t *testing.T) {
			r := &recorder{shortPages: []int{7, 3, 0, 0, 5, 1}}
			var want []string
			for i := range 40 {
				name := fmt.Sprintf("user%02d", i)
				enabled := i%3 != 0
				r.users = append(r.users, types.UserType{Username: aws.String(name), Enabled: enabled,
					UserStatus: types.UserStatusTypeConfirmed})
				if !enabled {
					want = append(want, name)
				}
			}
			d, _ := newRecorded(r)
			d.listPageSize = 7
			no := false
			// Status goes to Cognito (ignored by the fake), Enabled is client-side.
			got := listAllPages(t, d, "us-east-1_abc", cognito.ListFilter{Status: "CONFIRMED", Enabled: &no}, limit)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("listed %v\nwant     %v", got, want)
			}
			for i, c := range r.calls {
				if c != "ListUsers" {
					continue
				}
				in := r.inputs[i].(*cip.ListUsersInput)
				if aws.ToInt32(in.Limit) != 7 || aws.ToString(in.Filter) != `cognito:user_status = "CONFIRMED"` {
					t.Fatalf("ListUsers input: limit %d filter %q", aws.ToInt32(in.Limit), aws.ToString(in.Filter))
				}
			}
		})
	}
}

func TestListUsersStopsAfterScanBudget(t *testing.T) {
	r := &recorder{}
	for i := range 100 {
		r.users = append(r.users, types.UserType{Username: aws.String(fmt.Sprint("u", i)), Enabled: true})
	}
	d, _ := newRecorded(r)
	d.listPageSize = 2
	no := false
	p, err := d.ListUsers(testIntent(), "us-east-1_abc", cognito.ListFilter{Status: "CONFIRMED", Enabled: &no}, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Users) != 0 || p.NextToken == "" || r.count("ListUsers") != maxScanPages {
		t.Fatalf("got %d users, token %q after %d calls; want 0 users, a token, %d calls",
			len(p.Users), p.NextToken, r.count("ListUsers"), maxScanPages)
	}
}

// listAllPages follows NextToken to the end and returns the usernames.
func listAllPages(t *testing.T, d *Directory, poolID string, f cognito.ListFilter, limit int) []string {
	t.Helper()
	var names []string
	tok := ""
	for range 200 {
		p, err := d.ListUsers(testIntent(), poolID, f, limit, tok)
		if err != nil {
			t.Fatalf("ListUsers(token %q): %v", tok, err)
		}
		if len(p.Users) > limit {
			t.Fatalf("page of %d users for limit %d", len(p.Users), limit)
		}
		for _, u := range p.Users {
			names = append(names, u.Username)
		}
		if p.NextToken == "" {
			return names
		}
		tok = p.NextToken
	}
	t.Fatal("listing did not end")
	return nil
}
