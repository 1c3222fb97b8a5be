package memdir

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// Memory-only behaviour: states and rules that moto cannot produce or does not
// enforce (doc §10), which the contract suite therefore cannot cover on both.

func newTestMemory(t *testing.T, spec PoolSpec) (*Memory, *testClock) {
	t.Helper()
	c := newTestClock()
	m := newMemory(c.Now)
	if spec.ID == "" {
		spec.ID = "us-east-1_Sandbox"
	}
	if err := m.AddPool(spec); err != nil {
		t.Fatal(err)
	}
	return m, c
}

func mustSeed(t *testing.T, m *Memory, u SeedUser) {
	t.Helper()
	if err := m.Seed("us-east-1_Sandbox", u); err != nil {
		t.Fatalf("seeding %s: %v", u.Username, err)
	}
}

func TestMemorySeedAnyState(t *testing.T) {
	m, c := newTestMemory(t, contractSpec())
	ctx, pool := testIntent(), "us-east-1_Sandbox"
	invited := c.Now().AddDate(0, 0, -30)
	mustSeed(t, m, SeedUser{Username: "unconfirmed", Status: "UNCONFIRMED", Email: "u@example.com", EmailVerified: true})
	mustSeed(t, m, SeedUser{Username: "Google_123", Status: "EXTERNAL_PROVIDER", Email: "g@example.com", EmailVerified: true})
	mustSeed(t, m, SeedUser{Username: "old-invite", Status: "FORCE_CHANGE_PASSWORD", Email: "o@example.com", Created: invited})
	mustSeed(t, m, SeedUser{Username: "mfa", Phone: "+15555550100", PhoneVerified: true, Disabled: true,
		MFAMethods: []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}, PreferredMFA: "SOFTWARE_TOKEN_MFA", Groups: []string{"admins"}})

	u, err := m.GetUser(ctx, pool, "old-invite")
	if err != nil || !u.Created.Equal(invited) || !u.Modified.Equal(invited) || u.Status != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("old invite: %+v, %v", u, err)
	}
	u, err = m.GetUser(ctx, pool, "mfa")
	if err != nil || u.Enabled || strings.Join(u.MFAMethods, ",") != "SMS_MFA,SOFTWARE_TOKEN_MFA" ||
		u.PreferredMFA != "SOFTWARE_TOKEN_MFA" || strings.Join(u.Groups, ",") != "admins" || !u.PhoneVerified {
		t.Fatalf("mfa user: %+v, %v", u, err)
	}
	for user, reason := range map[string]string{"unconfirmed": "not confirmed", "Google_123": "external identity provider"} {
		var rb *cognito.ResetBlockedError
		if err := m.CheckResetPassword(ctx, pool, user); !errors.As(err, &rb) || !strings.Contains(rb.Reason, reason) {
			t.Errorf("reset %s: got %v, want a block about %q", user, err, reason)
		}
	}
	// A resend renews an (expired) invitation.
	c.Advance(time.Hour)
	if _, err := m.ResendInvitation(ctx, pool, "old-invite"); err != nil {
		t.Fatal(err)
	}
	if u, _ := m.GetUser(ctx, pool, "old-invite"); !u.Modified.Equal(c.Now()) || !u.Created.Equal(invited) {
		t.Fatalf("after resend: created %v modified %v", u.Created, u.Modified)
	}
}

func TestMemoryAdminOnlyRecovery(t *testing.T) {
	spec := contractSpec()
	spec.AccountRecovery = []string{"admin_only"}
	m, _ := newTestMemory(t, spec)
	mustSeed(t, m, SeedUser{Username: "pat", Email: "pat@example.com", EmailVerified: true})
	var rb *cognito.ResetBlockedError
	if _, err := m.ResetPassword(testIntent(), "us-east-1_Sandbox", "pat"); !errors.As(err, &rb) || !strings.Contains(rb.Reason, "administrators only") {
		t.Fatalf("got %v, want a block about admin-only recovery", err)
	}
}

func TestMemoryResetLimitPerUser(t *testing.T) {
	m, c := newTestMemory(t, contractSpec())
	ctx, pool := testIntent(), "us-east-1_Sandbox"
	mustSeed(t, m, SeedUser{Username: "pat", Email: "pat@example.com", EmailVerified: true})
	for i := range memResetsPerHour {
		if _, err := m.ResetPassword(ctx, pool, "pat"); err != nil {
			t.Fatalf("reset %d: %v", i+1, err)
		}
	}
	if _, err := m.ResetPassword(ctx, pool, "pat"); !errors.Is(err, cognito.ErrLimitExceeded) {
		t.Fatalf("reset beyond the limit: got %v, want ErrLimitExceeded", err)
	}
	c.Advance(time.Hour)
	if _, err := m.ResetPassword(ctx, pool, "pat"); err != nil {
		t.Fatalf("reset an hour later: %v", err)
	}
}

func TestMemoryAliasesAndSignInNames(t *testing.T) {
	ctx := testIntent()
	aliases := contractSpec()
	aliases.AliasAttributes = []string{"email"}
	m, _ := newTestMemory(t, aliases)
	pool := "us-east-1_Sandbox"
	mustSeed(t, m, SeedUser{Username: "alice", Email: "alice@example.com", EmailVerified: true})
	mustSeed(t, m, SeedUser{Username: "bob", Email: "bob@example.com"}) // unverified: no alias
	if u, err := m.GetUser(ctx, pool, "ALICE@example.com"); err != nil || u.Username != "alice" {
		t.Errorf("GetUser by verified alias: %+v, %v", u, err)
	}
	if _, err := m.DisableUser(ctx, pool, "bob@example.com"); !errors.Is(err, cognito.ErrUserNotFound) {
		t.Errorf("unverified email used as alias: got %v", err)
	}
	alice, _ := m.GetUser(ctx, pool, "alice")
	if u, err := m.GetUser(ctx, pool, alice.Sub); err != nil || u.Username != "alice" {
		t.Errorf("GetUser by sub: %+v, %v", u, err)
	}
	_, _, err := m.UpdateAttributes(ctx, pool, "bob", map[string]string{"email": "alice@example.com", "email_verified": "true"})
	if !errors.Is(err, cognito.ErrAliasExists) {
		t.Errorf("taking a verified alias: got %v, want ErrAliasExists", err)
	}
	if _, _, err := m.UpdateAttributes(ctx, pool, "alice", map[string]string{"email": "new@example.com"}); err != nil {
		t.Fatal(err)
	}
	if u, _ := m.GetUser(ctx, pool, "alice"); u.EmailVerified || u.Email != "new@example.com" {
		t.Errorf("changed email should be unverified: %+v", u)
	}

	byEmail := contractSpec()
	byEmail.ID = "eu-west-1_ByEmail"
	byEmail.UsernameAttributes = []string{"email"}
	if err := m.AddPool(byEmail); err != nil {
		t.Fatal(err)
	}
	u, _, err := m.CreateUser(ctx, byEmail.ID, cognito.NewUser{Username: "carol@example.com", Invitation: cognito.InviteSuppress})
	if err != nil || u.Username != u.Sub || u.Email != "carol@example.com" {
		t.Fatalf("create in an email-as-username pool: %+v, %v", u, err)
	}
	if got, err := m.GetUser(ctx, byEmail.ID, "carol@example.com"); err != nil || got.Username != u.Username {
		t.Errorf("GetUser by email: %+v, %v", got, err)
	}
	if _, _, err := m.CreateUser(ctx, byEmail.ID, cognito.NewUser{Username: "carol@example.com", Invitation: cognito.InviteSuppress}); !errors.Is(err, cognito.ErrUserExists) {
		t.Errorf("second carol: got %v, want ErrUserExists", err)
	}
	if _, _, err := m.CreateUser(ctx, byEmail.ID, cognito.NewUser{Username: "dave", Invitation: cognito.InviteSuppress}); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Errorf("plain username in an email pool: got %v", err)
	}
}

func TestMemorySchemaRules(t *testing.T) {
	spec := contractSpec()
	spec.Attributes = append(spec.Attributes, AttributeSpec{Name: "email", Required: true})
	m, _ := newTestMemory(t, spec)
	ctx, pool := testIntent(), "us-east-1_Sandbox"
	for name, in := range map[string]cognito.NewUser{
		"missing required email": {Username: "a", Invitation: cognito.InviteSuppress},
		"unknown custom":         {Username: "a", Email: "a@x.com", Attributes: map[string]string{"custom:nope": "1"}},
		"bad phone":              {Username: "a", Email: "a@x.com", Phone: "555-0100"},
		"bad email":              {Username: "a", Email: "not-an-email"},
		"space in username":      {Username: "a b", Email: "a@x.com"},
	} {
		if _, _, err := m.CreateUser(ctx, pool, in); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("%s: got %v, want ErrInvalidParameter", name, err)
		}
	}
	mustSeed(t, m, SeedUser{Username: "a", Email: "a@x.com"})
	if _, err := m.DeleteAttributes(ctx, pool, "a", []string{"email"}); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Errorf("deleting a required attribute: got %v", err)
	}
	if _, _, err := m.UpdateAttributes(ctx, pool, "a", map[string]string{"email": ""}); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Errorf("emptying a required attribute: got %v", err)
	}
	if err := m.Seed(pool, SeedUser{Username: "b"}); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Errorf("seeding without the required email: got %v", err)
	}
}

func TestMemorySetupValidation(t *testing.T) {
	m := New()
	for name, spec := range map[string]PoolSpec{
		"malformed id":        {ID: "sandbox"},
		"both sign-in kinds":  {ID: "us-east-1_A", UsernameAttributes: []string{"email"}, AliasAttributes: []string{"email"}},
		"bad custom name":     {ID: "us-east-1_A", Attributes: []AttributeSpec{{Name: "team"}}},
		"duplicate group":     {ID: "us-east-1_A", Groups: []GroupSpec{{Name: "g"}, {Name: "g"}}},
		"short min length":    {ID: "us-east-1_A", PasswordPolicy: cognito.PasswordPolicy{MinimumLength: 3}},
		"admin_only and more": {ID: "us-east-1_A", AccountRecovery: []string{"admin_only", "verified_email"}},
		"token validity":      {ID: "us-east-1_A", AppClients: []AppClientSpec{{Name: "web", AccessTokenValidity: time.Minute}}},
		"bad mfa":             {ID: "us-east-1_A", MFA: "SOMETIMES"},
	} {
		if err := m.AddPool(spec); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("%s: got %v, want ErrInvalidParameter", name, err)
		}
	}
	if err := m.AddPool(PoolSpec{ID: "us-east-1_A"}); err != nil {
		t.Fatal(err)
	}
	if err := m.AddPool(PoolSpec{ID: "us-east-1_A"}); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Errorf("duplicate pool: got %v", err)
	}
	for name, tc := range map[string]struct {
		pool string
		u    SeedUser
		want error
	}{
		"unknown pool":   {"us-east-1_B", SeedUser{Username: "x"}, cognito.ErrPoolNotFound},
		"unknown status": {"us-east-1_A", SeedUser{Username: "x", Status: "HAPPY"}, cognito.ErrInvalidParameter},
		"unknown group":  {"us-east-1_A", SeedUser{Username: "x", Groups: []string{"g"}}, cognito.ErrGroupNotFound},
		"bad mfa":        {"us-east-1_A", SeedUser{Username: "x", PreferredMFA: "SMS_MFA"}, cognito.ErrInvalidParameter},
		"no username":    {"us-east-1_A", SeedUser{}, cognito.ErrInvalidParameter},
	} {
		if err := m.Seed(tc.pool, tc.u); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
	if err := m.Seed("us-east-1_A", SeedUser{Username: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Seed("us-east-1_A", SeedUser{Username: "x"}); !errors.Is(err, cognito.ErrUserExists) {
		t.Errorf("duplicate user: got %v", err)
	}
}

func TestMemoryHonoursContext(t *testing.T) {
	m, _ := newTestMemory(t, contractSpec())
	mustSeed(t, m, SeedUser{Username: "a"})
	ctx, cancel := context.WithCancel(testIntent())
	cancel()
	if _, err := m.DisableUser(ctx, "us-east-1_Sandbox", "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if u, _ := m.GetUser(testIntent(), "us-east-1_Sandbox", "a"); !u.Enabled {
		t.Fatal("a cancelled call changed the user")
	}
}

// TestMemoryConcurrentUse runs writers and readers at once (run with -race):
// every created user is found, and every listing is consistent.
func TestMemoryConcurrentUse(t *testing.T) {
	m, _ := newTestMemory(t, contractSpec())
	ctx, pool := testIntent(), "us-east-1_Sandbox"
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				name := fmt.Sprintf("w%d-u%02d", w, i)
				if _, _, err := m.CreateUser(ctx, pool, cognito.NewUser{Username: name, Invitation: cognito.InviteSuppress}); err != nil {
					t.Error(err)
					return
				}
				_, _ = m.DisableUser(ctx, pool, name)
				_, _ = m.AddToGroup(ctx, pool, name, "support")
				_, _ = m.ListUsers(ctx, pool, cognito.ListFilter{Group: "support"}, 10, "")
				_, _ = m.FindUsers(ctx, pool, name, 0)
			}
		})
	}
	wg.Wait()
	no := false
	p, err := m.ListUsers(ctx, pool, cognito.ListFilter{Group: "support", Enabled: &no}, 60, "")
	if err != nil {
		t.Fatal(err)
	}
	total := len(p.Users)
	for p.NextToken != "" {
		if p, err = m.ListUsers(ctx, pool, cognito.ListFilter{Group: "support", Enabled: &no}, 60, p.NextToken); err != nil {
			t.Fatal(err)
		}
		total += len(p.Users)
	}
	if info, _ := m.DescribePool(ctx, pool); total != 160 || info.EstimatedUsers != 160 {
		t.Fatalf("listed %d, estimated %d, want 160", total, info.EstimatedUsers)
	}
}
