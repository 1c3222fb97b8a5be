package cognito

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestClassifyQuery(t *testing.T) {
	tests := []struct {
		in, attr, value string
		bad             bool
	}{
		{in: "  Alice@Example.COM ", attr: "email", value: "alice@example.com"},
		{in: "+1 (555) 555-0100", attr: "phone_number", value: "+15555550100"},
		{in: "+44.20.7946.0958", attr: "phone_number", value: "+442079460958"},
		{in: "8F14E45F-CEEA-467F-A0E6-3A1B2C3D4E5F", attr: "sub", value: "8f14e45f-ceea-467f-a0e6-3a1b2c3d4e5f"},
		{in: "bob", attr: "username", value: "bob"},
		{in: "Bob.Smith ", attr: "username", value: "Bob.Smith"},
		{in: "8f14e45f-ceea", attr: "username", value: "8f14e45f-ceea"},
		{in: "", bad: true},
		{in: "   ", bad: true},
		{in: `a"b`, bad: true},
		{in: `a"@x.com`, bad: true},
		{in: `evil" or username ^= "`, bad: true},
		{in: `back\slash`, bad: true},
		{in: "tab\tinside", bad: true},
		{in: "nl\n@x.com", bad: true},
		{in: "zero\u200bwidth", bad: true},
		{in: "\xff\xfe", bad: true},
		{in: "+12ab", bad: true},
		{in: "+0123", bad: true},
		{in: "+1234567890123456", bad: true}, // 16 digits: not E.164
	}
	for _, tt := range tests {
		attr, value, err := ClassifyQuery(tt.in)
		if tt.bad {
			if !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("ClassifyQuery(%q): got (%q, %q, %v), want ErrInvalidQuery", tt.in, attr, value, err)
			}
			continue
		}
		if err != nil || attr != tt.attr || value != tt.value {
			t.Errorf("ClassifyQuery(%q) = (%q, %q, %v), want (%q, %q, nil)", tt.in, attr, value, err, tt.attr, tt.value)
		}
	}
}

func TestBuildFilter(t *testing.T) {
	f, err := buildFilter("email", "=", "a@example.com")
	if err != nil || f != `email = "a@example.com"` {
		t.Fatalf("buildFilter = %q, %v", f, err)
	}
	f, err = buildFilter("family_name", "^=", "Red")
	if err != nil || f != `family_name ^= "Red"` {
		t.Fatalf("buildFilter prefix = %q, %v", f, err)
	}
	for _, v := range []string{`x"`, `x\`, "x\x00", "x\r"} {
		if _, err := buildFilter("username", "=", v); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("buildFilter(%q): got %v, want ErrInvalidQuery", v, err)
		}
	}
	if _, err := buildFilter("username", "=", strings.Repeat("a", 250)); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("over-long filter: got %v, want ErrInvalidQuery", err)
	}
}

func TestFindUsersRejectsBeforeAnyCall(t *testing.T) {
	r := &recorder{}
	d, _ := newRecorded(r)
	ctx := testIntent()
	if _, err := d.FindUsers(ctx, "us-east-1_abc", `a"b`, 0); !errors.Is(err, ErrInvalidQuery) {
		t.Fatalf(`FindUsers(a"b): got %v, want ErrInvalidQuery`, err)
	}
	if _, err := d.FindUsers(ctx, "not-a-pool", "bob", 0); !errors.Is(err, ErrInvalidParameter) {
		t.Fatalf("FindUsers(bad pool): got %v, want ErrInvalidParameter", err)
	}
	if _, err := d.FindUsers(ctx, "us-east-1_abc", "bob", -1); !errors.Is(err, ErrInvalidParameter) {
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
	if !errors.Is(err, ErrSearchIncomplete) || got == nil || len(got) != 0 {
		t.Fatalf("FindUsers = %v, %v; want no users and ErrSearchIncomplete", got, err)
	}
	if n := r.count("ListUsers"); n != maxFindPages {
		t.Fatalf("%d pages read, want %d", n, maxFindPages)
	}
	// Matches found before the cap come back with the error.
	r.shortPages = []int{1}
	got, err = d.FindUsers(testIntent(), "us-east-1_abc", "bob", 20)
	if !errors.Is(err, ErrSearchIncomplete) || len(got) != maxFindPages {
		t.Fatalf("FindUsers = %d users, %v", len(got), err)
	}
}
