package awsdir_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

// desk is the directory under test, for the desk operations.
//
// moto lacks AdminListUserAuthEvents, AdminListDevices and AdminForgetDevice
// (HTTP 500), so AuthEvents, ListDevices and ForgetDevice are contract-tested
// on Memory only here, and the SDK Directory's side of them is tested against
// a fake endpoint in fakeendpoint_desk_test.go.
func desk(b *backend) directoryUnderTest { return b.dir }

func TestContractConfirmSignUp(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "ann", Email: "ann@example.com"})
		if _, err := desk(b).ConfirmSignUp(b.ctx, b.pool, "ann"); !errors.Is(err, cognito.ErrUnsupportedState) {
			t.Errorf("confirming a CONFIRMED user: got %v, want ErrUnsupportedState", err)
		}
		b.seed(t, memdir.SeedUser{Username: "inv", Status: "FORCE_CHANGE_PASSWORD", Email: "inv@example.com"})
		if _, err := desk(b).ConfirmSignUp(b.ctx, b.pool, "inv"); !errors.Is(err, cognito.ErrUnsupportedState) {
			t.Errorf("confirming an invited user: got %v, want ErrUnsupportedState", err)
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "inv"); u == nil || u.Status != "FORCE_CHANGE_PASSWORD" {
			t.Errorf("the invited user changed: %+v", u)
		}
		if _, err := desk(b).ConfirmSignUp(b.ctx, b.pool, "nobody"); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("unknown user: got %v", err)
		}
		b.seed(t, memdir.SeedUser{Username: "self", Status: "UNCONFIRMED", Email: "self@example.com"}) // skips on moto
		if res, err := desk(b).ConfirmSignUp(b.ctx, b.pool, "self"); err != nil || res.RequestID == "" {
			t.Fatalf("ConfirmSignUp = %+v, %v", res, err)
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "self"); u == nil || u.Status != "CONFIRMED" {
			t.Errorf("after confirming: %+v", u)
		}
	})
}

func TestContractMarkVerified(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "vic", Email: "vic@example.com", Phone: "+15555550123"})
		if res, err := desk(b).MarkVerified(b.ctx, b.pool, "vic", "email"); err != nil || res.RequestID == "" {
			t.Fatalf("MarkVerified(email) = %+v, %v", res, err)
		}
		u, err := b.dir.GetUser(b.ctx, b.pool, "vic")
		if err != nil || !u.EmailVerified || u.PhoneVerified || u.Email != "vic@example.com" {
			t.Fatalf("after verifying the email: %+v, %v", u, err)
		}
		if res, err := desk(b).MarkVerified(b.ctx, b.pool, "vic", "email"); err != nil || res.RequestID != "" {
			t.Errorf("verifying again should be a no-op without a call: %+v, %v", res, err)
		}
		if _, err := desk(b).MarkVerified(b.ctx, b.pool, "vic", "phone_number"); err != nil {
			t.Fatal(err)
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "vic"); u == nil || !u.PhoneVerified {
			t.Errorf("phone not verified: %+v", u)
		}
		b.seed(t, memdir.SeedUser{Username: "nomail"})
		if _, err := desk(b).MarkVerified(b.ctx, b.pool, "nomail", "email"); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("user without email: got %v", err)
		}
		if _, err := desk(b).MarkVerified(b.ctx, b.pool, "vic", "address"); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("not a contact attribute: got %v", err)
		}
	})
}

func TestContractResetMFA(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "mo", Phone: "+15555550124", PhoneVerified: true, MFAMethods: []string{"SMS_MFA"}, PreferredMFA: "SMS_MFA"})
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "mo"); u == nil || !slices.Contains(u.MFAMethods, "SMS_MFA") {
			t.Fatalf("seeded without SMS MFA: %+v", u)
		}
		if res, err := desk(b).ResetMFA(b.ctx, b.pool, "mo"); err != nil || res.RequestID == "" {
			t.Fatalf("ResetMFA = %+v, %v", res, err)
		}
		u, err := b.dir.GetUser(b.ctx, b.pool, "mo")
		switch {
		case err != nil:
			t.Fatal(err)
		case b.moto:
			// moto 5.2.1 ignores the empty settings object the SDK sends for
			// Enabled=false (Cognito reads it as false): the call is accepted
			// and answered, and the state cannot be checked here.
		case len(u.MFAMethods) != 0 || u.PreferredMFA != "":
			t.Fatalf("after reset: methods %v preferred %q", u.MFAMethods, u.PreferredMFA)
		}
		b.seed(t, memdir.SeedUser{Username: "nomfa"})
		if res, err := desk(b).ResetMFA(b.ctx, b.pool, "nomfa"); err != nil || res.RequestID != "" {
			t.Errorf("a user without MFA needs no call: %+v, %v", res, err)
		}
		if _, err := desk(b).ResetMFA(b.ctx, b.pool, "nobody"); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("unknown user: got %v", err)
		}
	})
}

func TestContractTokenLifetime(t *testing.T) {
	spec := contractSpec()
	contract(t, spec, func(t *testing.T, b *backend) {
		if got, err := desk(b).TokenLifetime(b.ctx, b.pool); err != nil || got != 0 {
			t.Errorf("a pool without app clients: %v, %v; want 0", got, err)
		}
	})
	spec.AppClients = []memdir.AppClientSpec{
		{Name: "web", AccessTokenValidity: 30 * time.Minute, IDTokenValidity: 45 * time.Minute},
		{Name: "mobile", AccessTokenValidity: 3 * time.Hour, IDTokenValidity: 20 * time.Minute},
	}
	contract(t, spec, func(t *testing.T, b *backend) {
		if got, err := desk(b).TokenLifetime(b.ctx, b.pool); err != nil || got != 3*time.Hour {
			t.Errorf("TokenLifetime = %v, %v; want the longest, 3h", got, err)
		}
		if _, err := desk(b).TokenLifetime(b.ctx, b.missingPool); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v", err)
		}
	})
}

// The rest is Memory only: moto lacks the operations (see desk).

func TestMemoryAuthEventsNeedThreatProtection(t *testing.T) {
	m := memdir.New()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	events := []cognito.AuthEvent{
		{Time: at, Type: "SignIn", Result: "Fail", IP: "192.0.2.1"},
		{Time: at.Add(time.Hour), Type: "SignIn", Result: "Pass", IP: "192.0.2.2", City: "Lyon"},
	}
	for _, p := range []memdir.PoolSpec{{ID: "us-east-1_Off1"}, {ID: "us-east-1_On1", ThreatProtection: "AUDIT"}} {
		if err := m.AddPool(p); err != nil {
			t.Fatal(err)
		}
		if err := m.Seed(p.ID, memdir.SeedUser{Username: "eve", AuthEvents: events}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := awsdir.UnderIntent()
	if _, err := m.AuthEvents(ctx, "us-east-1_Off1", "eve", 10); !errors.Is(err, cognito.ErrAddOnNotEnabled) {
		t.Errorf("pool without the add-on: got %v", err)
	}
	got, err := m.AuthEvents(ctx, "us-east-1_On1", "eve", 10)
	if err != nil || len(got) != 2 || got[0].Result != "Pass" || got[0].City != "Lyon" {
		t.Fatalf("AuthEvents = %+v, %v; want newest first", got, err)
	}
	if got, _ := m.AuthEvents(ctx, "us-east-1_On1", "eve", 1); len(got) != 1 {
		t.Errorf("max 1 gave %d", len(got))
	}
	if _, err := m.AuthEvents(ctx, "us-east-1_On1", "eve", 61); !errors.Is(err, cognito.ErrInvalidParameter) {
		t.Errorf("max 61: got %v", err)
	}
}

func TestMemoryDevicesListAndForget(t *testing.T) {
	m := memdir.New()
	if err := m.AddPool(memdir.PoolSpec{ID: "us-east-1_Dev1"}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	if err := m.Seed("us-east-1_Dev1", memdir.SeedUser{Username: "dan", Devices: []cognito.Device{
		{Key: "us-east-1_old", Name: "Firefox", LastAuthenticated: at},
		{Key: "us-east-1_new", Name: "iPhone", LastAuthenticated: at.Add(time.Hour)},
	}}); err != nil {
		t.Fatal(err)
	}
	ctx := awsdir.UnderIntent()
	got, err := m.ListDevices(ctx, "us-east-1_Dev1", "dan")
	if err != nil || len(got) != 2 || got[0].Key != "us-east-1_new" {
		t.Fatalf("ListDevices = %+v, %v; want most recent first", got, err)
	}
	if res, err := m.ForgetDevice(ctx, "us-east-1_Dev1", "dan", "us-east-1_new"); err != nil || res.RequestID == "" {
		t.Fatalf("ForgetDevice = %+v, %v", res, err)
	}
	if got, _ := m.ListDevices(ctx, "us-east-1_Dev1", "dan"); len(got) != 1 || got[0].Key != "us-east-1_old" {
		t.Errorf("after forgetting: %+v", got)
	}
	if _, err := m.ForgetDevice(ctx, "us-east-1_Dev1", "dan", "us-east-1_new"); !errors.Is(err, cognito.ErrDeviceNotFound) {
		t.Errorf("forgetting twice: got %v", err)
	}
}
