package cognito

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

func TestMotoGetUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.confirmed("alice", "email", "alice@example.com", "email_verified", "true",
		"phone_number", "+15555550100", "custom:team", "ops")
	f.group("support")
	f.group("admins")
	f.addToGroup("alice", "support")
	f.addToGroup("alice", "admins")

	u, err := f.dir.GetUser(f.ctx, f.pool, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "alice" || u.Email != "alice@example.com" || !u.EmailVerified ||
		u.Phone != "+15555550100" || u.PhoneVerified || u.Status != "CONFIRMED" || !u.Enabled {
		t.Fatalf("GetUser = %+v", u)
	}
	if u.Sub == "" || u.Attributes["custom:team"] != "ops" || u.Created.IsZero() || u.Modified.IsZero() {
		t.Fatalf("sub %q, attributes %v, created %v", u.Sub, u.Attributes, u.Created)
	}
	if strings.Join(u.Groups, ",") != "admins,support" {
		t.Fatalf("Groups = %v", u.Groups)
	}
	if u.MFAMethods == nil || len(u.MFAMethods) != 0 || u.PreferredMFA != "" {
		t.Fatalf("MFA = %v %q", u.MFAMethods, u.PreferredMFA)
	}

	if _, err := f.dir.GetUser(f.ctx, f.pool, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: got %v, want ErrUserNotFound", err)
	}
	if _, err := f.dir.GetUser(f.ctx, f.missingPool(), "alice"); !errors.Is(err, ErrPoolNotFound) {
		t.Fatalf("unknown pool: got %v, want ErrPoolNotFound", err)
	}
	if _, err := f.dir.GetUser(f.ctx, "alice", "alice"); !errors.Is(err, ErrInvalidParameter) {
		t.Fatalf("malformed pool: got %v, want ErrInvalidParameter", err)
	}
}

func TestMotoFindUsers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.confirmed("alice", "email", "alice@example.com", "phone_number", "+15555550100")
	f.confirmed("alice2", "email", "shared@example.com")
	f.confirmed("bob", "email", "shared@example.com")
	f.invite("Carol", "email", "Carol@Example.com") // mixed case as stored
	sub := f.dir.mustSub(t, f, "alice")

	tests := []struct {
		query string
		max   int
		want  string // sorted usernames, comma-separated
	}{
		{"alice@example.com", 0, "alice"},
		{"  ALICE@example.com ", 0, "alice"},
		{"+1 555 555 0100", 0, "alice"},
		{strings.ToUpper(sub), 0, "alice"},
		{"alice", 0, "alice"}, // exact username: not alice2
		{"shared@example.com", 0, "alice2,bob"},
		{"Carol@Example.com", 0, "Carol"}, // found on the as-typed retry
		{"nobody@example.com", 0, ""},
	}
	for _, tt := range tests {
		got, err := f.dir.FindUsers(f.ctx, f.pool, tt.query, tt.max)
		if err != nil {
			t.Errorf("FindUsers(%q): %v", tt.query, err)
			continue
		}
		if names := usernames(got); names != tt.want {
			t.Errorf("FindUsers(%q) = %s, want %s", tt.query, names, tt.want)
		}
	}
	if got, err := f.dir.FindUsers(f.ctx, f.pool, "shared@example.com", 1); err != nil || len(got) != 1 {
		t.Errorf("FindUsers(max 1) = %v, %v; want one of the two", got, err)
	}
	for _, q := range []string{`a"b`, `x" or email ^= "`, `back\slash@x.com`, "+1 555 CALL"} {
		if _, err := f.dir.FindUsers(f.ctx, f.pool, q, 0); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("FindUsers(%q): got %v, want ErrInvalidQuery", q, err)
		}
	}
	if _, err := f.dir.FindUsers(f.ctx, f.missingPool(), "bob", 0); !errors.Is(err, ErrPoolNotFound) {
		t.Errorf("unknown pool: got %v, want ErrPoolNotFound", err)
	}
}

// mustSub reads a user's sub through the raw client.
func (d *Directory) mustSub(t *testing.T, f *fixture, username string) string {
	t.Helper()
	sub, ok := attr(f.read(username), "sub")
	if !ok {
		t.Fatalf("user %s has no sub", username)
	}
	return sub
}

func TestMotoCreateUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u, res, err := f.dir.CreateUser(f.ctx, f.pool, NewUser{
		Username: "dave", Email: "dave@example.com", Phone: "+15555550111",
		Attributes: map[string]string{"email_verified": "true", "given_name": "Dave"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "dave" || u.Status != "FORCE_CHANGE_PASSWORD" || !u.Enabled || u.Email != "dave@example.com" || u.Sub == "" {
		t.Fatalf("CreateUser = %+v", u)
	}
	if res.RequestID == "" {
		t.Error("no request ID from moto")
	}
	got := f.read("dave")
	if v, _ := attr(got, "given_name"); v != "Dave" || got.UserStatus != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("read back: status %s given_name %q", got.UserStatus, v)
	}

	// Suppressed invitation, no email needed.
	if _, _, err := f.dir.CreateUser(f.ctx, f.pool, NewUser{Username: "erin", Invitation: InviteSuppress}); err != nil {
		t.Fatalf("suppressed invitation: %v", err)
	}
	if _, _, err := f.dir.CreateUser(f.ctx, f.pool, NewUser{Username: "dave", Email: "d2@example.com"}); !errors.Is(err, ErrUserExists) {
		t.Fatalf("duplicate: got %v, want ErrUserExists", err)
	}
	if _, _, err := f.dir.CreateUser(f.ctx, f.pool, NewUser{Username: "fay"}); !errors.Is(err, ErrInvalidParameter) {
		t.Fatalf("email invitation without email: got %v, want ErrInvalidParameter", err)
	}
	// moto does not validate TemporaryPassword against the policy (real Cognito
	// answers InvalidPasswordException, mapped to ErrInvalidPassword); here it
	// is only checked that the password is passed and the user created.
	if _, _, err := f.dir.CreateUser(f.ctx, f.pool, NewUser{Username: "gil", Invitation: InviteSuppress, TemporaryPassword: "x"}); err != nil {
		t.Fatalf("weak temporary password (accepted by moto): %v", err)
	}
	if _, _, err := f.dir.CreateUser(f.ctx, f.missingPool(), NewUser{Username: "hal", Invitation: InviteSuppress}); !errors.Is(err, ErrPoolNotFound) {
		t.Fatalf("unknown pool: got %v, want ErrPoolNotFound", err)
	}
}

func TestMotoDisableEnable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.confirmed("ivy")
	if _, err := f.dir.DisableUser(f.ctx, f.pool, "ivy"); err != nil {
		t.Fatal(err)
	}
	u, err := f.dir.GetUser(f.ctx, f.pool, "ivy")
	if err != nil || u.Enabled || u.Status != "CONFIRMED" {
		t.Fatalf("after disable: %+v, %v (want disabled, status kept)", u, err)
	}
	res, err := f.dir.EnableUser(f.ctx, f.pool, "ivy")
	if err != nil || res.RequestID == "" {
		t.Fatalf("EnableUser = %+v, %v", res, err)
	}
	if !f.read("ivy").Enabled {
		t.Fatal("still disabled after EnableUser")
	}
	if _, err := f.dir.DisableUser(f.ctx, f.pool, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("disable unknown: got %v", err)
	}
	if _, err := f.dir.EnableUser(f.ctx, f.pool, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("enable unknown: got %v", err)
	}
}

func TestMotoSignOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.confirmed("jay")
	if _, err := f.dir.SignOut(f.ctx, f.pool, "jay"); err != nil {
		t.Fatal(err)
	}
	if u := f.read("jay"); !u.Enabled || u.UserStatus != "CONFIRMED" {
		t.Fatalf("sign-out changed the user: %+v", u)
	}
	if _, err := f.dir.SignOut(f.ctx, f.pool, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: got %v, want ErrUserNotFound", err)
	}
}

func TestMotoDeleteUser(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.confirmed("kim")
	if _, err := f.dir.DeleteUser(f.ctx, f.pool, "kim"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.dir.GetUser(f.ctx, f.pool, "kim"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("after delete: got %v, want ErrUserNotFound", err)
	}
	_, err := f.raw.AdminGetUser(f.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(f.pool), Username: aws.String("kim")})
	if err == nil {
		t.Fatal("raw client still sees the user")
	}
	if _, err := f.dir.DeleteUser(f.ctx, f.pool, "kim"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("second delete: got %v, want ErrUserNotFound", err)
	}
}

// usernames returns the sorted usernames of users, comma-separated.
func usernames(users []User) string {
	var names []string
	for _, u := range users {
		names = append(names, u.Username)
	}
	return strings.Join(sortedCopy(names), ",")
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
