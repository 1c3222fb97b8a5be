package cognito

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestPlanList(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name   string
		f      ListFilter
		filter string
		group  string
		err    error
	}{
		{name: "none", f: ListFilter{}},
		{name: "enabled", f: ListFilter{Enabled: &yes}, filter: `status = "Enabled"`},
		{name: "disabled", f: ListFilter{Enabled: &no}, filter: `status = "Disabled"`},
		{name: "status wins over enabled", f: ListFilter{Status: "confirmed", Enabled: &no}, filter: `cognito:user_status = "CONFIRMED"`},
		{name: "prefix wins", f: ListFilter{Status: "CONFIRMED", Attribute: "family_name", Prefix: "Re"}, filter: `family_name ^= "Re"`},
		{name: "group takes no filter", f: ListFilter{Group: "ops", Attribute: "email", Prefix: "a"}, group: "ops"},
		{name: "custom attribute", f: ListFilter{Attribute: "custom:team", Prefix: "x"}, err: ErrInvalidParameter},
		{name: "unknown attribute", f: ListFilter{Attribute: "nickname", Prefix: "x"}, err: ErrInvalidParameter},
		{name: "prefix without attribute", f: ListFilter{Prefix: "x"}, err: ErrInvalidParameter},
		{name: "attribute without prefix", f: ListFilter{Attribute: "email"}, err: ErrInvalidParameter},
		{name: "quote in prefix", f: ListFilter{Attribute: "email", Prefix: `a"`}, err: ErrInvalidQuery},
		{name: "quote in client-side prefix", f: ListFilter{Group: "g", Attribute: "email", Prefix: `a"`}, err: ErrInvalidQuery},
		{name: "odd status", f: ListFilter{Status: `X" or "`}, err: ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := planList(tt.f)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("got %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || p.filter != tt.filter || p.group != tt.group {
				t.Fatalf("planList = {filter %q, group %q}, %v; want {%q, %q}", p.filter, p.group, err, tt.filter, tt.group)
			}
		})
	}
}

func TestPlanListClientSideChecks(t *testing.T) {
	no := false
	p, err := planList(ListFilter{Status: "CONFIRMED", Enabled: &no, Attribute: "email", Prefix: "a"})
	if err != nil {
		t.Fatal(err)
	}
	// The prefix went to Cognito; status and enabled are checked here.
	for _, tt := range []struct {
		u    User
		want bool
	}{
		{User{Status: "CONFIRMED", Enabled: false, Attributes: map[string]string{"email": "zzz"}}, true},
		{User{Status: "confirmed", Enabled: false}, true},
		{User{Status: "CONFIRMED", Enabled: true}, false},
		{User{Status: "FORCE_CHANGE_PASSWORD", Enabled: false}, false},
	} {
		if got := p.match(tt.u); got != tt.want {
			t.Errorf("match(%+v) = %v, want %v", tt.u, got, tt.want)
		}
	}
	g, _ := planList(ListFilter{Group: "g", Attribute: "username", Prefix: "ab"})
	if !g.match(User{Username: "abc"}) || g.match(User{Username: "xab"}) {
		t.Error("group listing does not check the username prefix client-side")
	}
}

func TestPageTokenRoundTrip(t *testing.T) {
	p := PagePos{Token: "cognito-token==", Consumed: 7, Last: "bob"}
	tok := p.Encode("fp1")
	got, err := DecodePageToken(tok, "fp1")
	if err != nil || got.Token != p.Token || got.Consumed != 7 || got.Last != "bob" {
		t.Fatalf("decode(encode(%+v)) = %+v, %v", p, got, err)
	}
	if _, err := DecodePageToken(tok, "fp2"); !errors.Is(err, ErrInvalidParameter) {
		t.Fatalf("token of another listing: got %v", err)
	}
	for _, bad := range []string{"!!!", "bm90IGpzb24", PagePos{Consumed: 61}.Encode("fp1")} {
		if _, err := DecodePageToken(bad, "fp1"); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("decode(%q): got %v, want ErrInvalidParameter", bad, err)
		}
	}
	if got, err := DecodePageToken("", "fp1"); err != nil || got != (PagePos{}) {
		t.Fatalf(`decode("") = %+v, %v`, got, err)
	}
}

func TestResumeIndex(t *testing.T) {
	page := []User{{Username: "a"}, {Username: "b"}, {Username: "c"}, {Username: "d"}}
	tests := []struct {
		pos  PagePos
		want int
	}{
		{PagePos{}, 0},
		{PagePos{Consumed: 2, Last: "b"}, 2},
		{PagePos{Consumed: 3, Last: "b"}, 2}, // a user before b was deleted... or moved: trust the name
		{PagePos{Consumed: 2, Last: "gone"}, 1},
		{PagePos{Consumed: 9, Last: "gone"}, 4},
	}
	for _, tt := range tests {
		if got := tt.pos.resumeIndex(page); got != tt.want {
			t.Errorf("resumeIndex(%+v) = %d, want %d", tt.pos, got, tt.want)
		}
	}
}

func TestListUsersValidation(t *testing.T) {
	r := &recorder{}
	d, _ := newRecorded(r)
	ctx := testIntent()
	for _, limit := range []int{0, -1, 61} {
		if _, err := d.ListUsers(ctx, "us-east-1_abc", ListFilter{}, limit, ""); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("limit %d: got %v, want ErrInvalidParameter", limit, err)
		}
	}
	if _, err := d.ListUsers(ctx, "us-east-1_abc", ListFilter{Attribute: "custom:x", Prefix: "a"}, 5, ""); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("custom attribute: got %v", err)
	}
	if _, err := d.ListUsers(ctx, "us-east-1_abc", ListFilter{}, 5, "garbage"); !errors.Is(err, ErrInvalidParameter) {
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
			got := listAllPages(t, d, "us-east-1_abc", ListFilter{Status: "CONFIRMED", Enabled: &no}, limit)
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
	p, err := d.ListUsers(testIntent(), "us-east-1_abc", ListFilter{Status: "CONFIRMED", Enabled: &no}, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Users) != 0 || p.NextToken == "" || r.count("ListUsers") != maxScanPages {
		t.Fatalf("got %d users, token %q after %d calls; want 0 users, a token, %d calls",
			len(p.Users), p.NextToken, r.count("ListUsers"), maxScanPages)
	}
}

// listAllPages follows NextToken to the end and returns the usernames.
func listAllPages(t *testing.T, d *Directory, poolID string, f ListFilter, limit int) []string {
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
