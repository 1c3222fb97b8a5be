package awsdir

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

func TestFindUsersRejectsBeforeAnyCall(t *testing.T) {
	r := &recorder{}
	d, _ := newRecorded(r)
	ctx := testIntent()
	if _, err := d.FindUsers(ctx, "us-east-1_abc", `a"b`, 0); !errors.Is(err, cognito.ErrInvalidQuery) {
		t.Fatalf(`FindUsers(a"b): got %v, want ErrInvalidQuery`, err)
	}
	if _, err := d.FindUsers(ctx, "not-a-pool", "bob", 0); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Fatalf("FindUsers(bad pool): got %v, want ErrInvalidParameter", err)
	}
	if _, err := d.FindUsers(ctx, "us-east-1_abc", "bob", -1); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Fatalf("FindUsers(max -1): got %v, want ErrInvalidParameter", err)
	}
	if len(r.calls) != 0 {
		t.Fatalf("calls made: %v", r.calls)
	}
}

func TestFindUsersEmailRetriesAsTyped(t *testing.T) {
	r := &recorder{} // no users: both filters find nothing
	d, _ := newRecorded(r)
	got, err := d.FindUsers(testIntent(), "us-east-1_abc", "Alice@Example.com", 0)
	if err != nil || len(got) != 0 {
		t.Fatalf("FindUsers = %v, %v", got, err)
	}
	var filters []string
	for i, c := range r.calls {
		if c == "ListUsers" {
			filters = append(filters, aws.ToString(r.inputs[i].(*cip.ListUsersInput).Filter))
		}
	}
	want := []string{`email = "alice@example.com"`, `email = "Alice@Example.com"`}
	if strings.Join(filters, "|") != strings.Join(want, "|") {
		t.Fatalf("filters %q, want %q", filters, want)
	}
}

func TestFindUsersCapsAtMax(t *testing.T) {
	r := &recorder{shortPages: []int{2, 0, 1}}
	for _, n := range []string{"u1", "u2", "u3", "u4", "u5"} {
		r.users = append(r.users, types.UserType{Username: aws.String(n), Attributes: attrs("email", "same@example.com")})
	}
	d, _ := newRecorded(r)
	got, err := d.FindUsers(testIntent(), "us-east-1_abc", "same@example.com", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Username != "u1" || got[2].Username != "u3" {
		t.Fatalf("FindUsers = %+v, want u1..u3", got)
	}
	if got[0].Email != "same@example.com" {
		t.Fatalf("Email = %q", got[0].Email)
	}
}

// TestFindUsersStopsAtPageCap: a pool answering empty pages for ever is read
// for maxFindPages pages, and the search says it is incomplete rather than
// "nobody".
func TestFindUsersStopsAtPageCap(t *testing.T) {
	r := &recorder{shortPages: []int{0}}
	for i := range 30 {
		r.users = append(r.users, types.UserType{Username: aws.String(fmt.Sprintf("u%02d", i))})
	}
	d, _ := newRecorded(r)
	got, err := d.FindUsers(testIntent(), "us-east-1_abc", "bob", 0)
	if !errors.Is(err, cognito.ErrSearchIncomplete) || got == nil || len(got) != 0 {
		t.Fatalf("FindUsers = %v, %v; want no users and ErrSearchIncomplete", got, err)
	}
	if n := r.count("ListUsers"); n != maxFindPages {
		t.Fatalf("%d pages read, want %d", n, maxFindPages)
	}
	// Matches found before the cap come back with the error.
	r.shortPages = []int{1}
	got, err = d.FindUsers(testIntent(), "us-east-1_abc", "bob", 20)
	if !errors.Is(err, cognito.ErrSearchIncomplete) || len(got) != maxFindPages {
		t.Fatalf("FindUsers = %d users, %v", len(got), err)
	}
}
