package awsdir_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

func TestContractDisableEnable(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "ivy"})
		if res, err := b.dir.DisableUser(b.ctx, b.pool, "ivy"); err != nil || res.RequestID == "" {
			t.Fatalf("DisableUser = %+v, %v", res, err)
		}
		u, err := b.dir.GetUser(b.ctx, b.pool, "ivy")
		if err != nil || u.Enabled || u.Status != "CONFIRMED" {
			t.Fatalf("after disable: %+v, %v (want disabled, status kept)", u, err)
		}
		if _, err := b.dir.DisableUser(b.ctx, b.pool, "ivy"); err != nil {
			t.Fatalf("second disable: %v", err)
		}
		if res, err := b.dir.EnableUser(b.ctx, b.pool, "ivy"); err != nil || res.RequestID == "" {
			t.Fatalf("EnableUser = %+v, %v", res, err)
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "ivy"); u == nil || !u.Enabled {
			t.Fatalf("still disabled: %+v", u)
		}
		for name, err := range map[string]error{
			"disable unknown user": second(b.dir.DisableUser(b.ctx, b.pool, "nobody")),
			"enable unknown user":  second(b.dir.EnableUser(b.ctx, b.pool, "nobody")),
		} {
			if !errors.Is(err, cognito.ErrUserNotFound) {
				t.Errorf("%s: got %v", name, err)
			}
		}
		if _, err := b.dir.DisableUser(b.ctx, b.missingPool, "ivy"); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v", err)
		}
	})
}

func TestContractSignOut(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "jay"})
		if res, err := b.dir.SignOut(b.ctx, b.pool, "jay"); err != nil || res.RequestID == "" {
			t.Fatalf("SignOut = %+v, %v", res, err)
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "jay"); u == nil || !u.Enabled || u.Status != "CONFIRMED" {
			t.Fatalf("sign-out changed the user: %+v", u)
		}
		if _, err := b.dir.SignOut(b.ctx, b.pool, "nobody"); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("unknown user: got %v", err)
		}
	})
}

func TestContractDeleteUser(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "kim", Email: "kim@example.com"})
		if res, err := b.dir.DeleteUser(b.ctx, b.pool, "kim"); err != nil || res.RequestID == "" {
			t.Fatalf("DeleteUser = %+v, %v", res, err)
		}
		if _, err := b.dir.GetUser(b.ctx, b.pool, "kim"); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("after delete: got %v", err)
		}
		if got, err := b.dir.FindUsers(b.ctx, b.pool, "kim@example.com", 0); err != nil || len(got) != 0 {
			t.Errorf("deleted user still found: %v, %v", got, err)
		}
		if _, err := b.dir.DeleteUser(b.ctx, b.pool, "kim"); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("second delete: got %v", err)
		}
	})
}

func TestContractCreateUser(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		u, res, err := b.dir.CreateUser(b.ctx, b.pool, cognito.NewUser{
			Username: "dave", Email: "dave@example.com", Phone: "+15555550111",
			Attributes: map[string]string{"email_verified": "true", "given_name": "Dave", "custom:employee_id": "E9"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if u.Username != "dave" || u.Status != "FORCE_CHANGE_PASSWORD" || !u.Enabled || u.Email != "dave@example.com" ||
			!awsdir.SubPattern.MatchString(u.Sub) || res.RequestID == "" {
			t.Fatalf("CreateUser = %+v, %+v", u, res)
		}
		got, err := b.dir.GetUser(b.ctx, b.pool, "dave")
		if err != nil || got.Attributes["given_name"] != "Dave" || got.Attributes["custom:employee_id"] != "E9" || got.Sub != u.Sub {
			t.Fatalf("read back: %+v, %v", got, err)
		}
		if _, _, err := b.dir.CreateUser(b.ctx, b.pool, cognito.NewUser{Username: "erin", Invitation: cognito.InviteSuppress}); err != nil {
			t.Fatalf("suppressed invitation without email: %v", err)
		}
		for _, tc := range []struct {
			name string
			in   cognito.NewUser
			want error
		}{
			{"duplicate", cognito.NewUser{Username: "dave", Email: "d2@example.com"}, cognito.ErrUserExists},
			{"email invitation without email", cognito.NewUser{Username: "fay"}, cognito.ErrInvalidParameter},
			{"contradicting emails", cognito.NewUser{Username: "fay", Email: "a@x.com", Attributes: map[string]string{"email": "b@x.com"}}, cognito.ErrInvalidParameter},
			{"unknown invitation", cognito.NewUser{Username: "fay", Email: "f@x.com", Invitation: cognito.Invitation(9)}, cognito.ErrInvalidParameter},
			{"empty username", cognito.NewUser{Email: "f@x.com"}, cognito.ErrInvalidParameter},
		} {
			if _, _, err := b.dir.CreateUser(b.ctx, b.pool, tc.in); !errors.Is(err, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			}
		}
		weak := cognito.NewUser{Username: "gil", Invitation: cognito.InviteSuppress, TemporaryPassword: "x"}
		_, _, err = b.dir.CreateUser(b.ctx, b.pool, weak)
		if b.moto {
			// moto gap: TemporaryPassword is not checked against the policy.
			if err != nil {
				t.Errorf("weak temporary password on moto: %v", err)
			}
		} else if !errors.Is(err, cognito.ErrInvalidPassword) {
			t.Errorf("weak temporary password: got %v, want ErrInvalidPassword", err)
		}
		if _, _, err := b.dir.CreateUser(b.ctx, b.missingPool, cognito.NewUser{Username: "hal", Invitation: cognito.InviteSuppress}); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v", err)
		}
	})
}

func TestContractResendInvitation(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "vic", Email: "vic@example.com", Status: "FORCE_CHANGE_PASSWORD"})
		b.seed(t, memdir.SeedUser{Username: "walt", Phone: "+15555550177", Status: "FORCE_CHANGE_PASSWORD"})
		b.seed(t, memdir.SeedUser{Username: "xena", Email: "xena@example.com"})
		b.seed(t, memdir.SeedUser{Username: "yan", Status: "FORCE_CHANGE_PASSWORD"})
		b.seed(t, memdir.SeedUser{Username: "zed", Email: "zed@example.com", Status: "FORCE_CHANGE_PASSWORD"})
		for _, user := range []string{"vic", "walt"} {
			if res, err := b.dir.ResendInvitation(b.ctx, b.pool, user); err != nil || res.RequestID == "" {
				t.Fatalf("ResendInvitation(%s) = %+v, %v", user, res, err)
			}
			// moto re-creates the user on RESEND (new sub, contacts lost); only
			// the status is common ground.
			if u, _ := b.dir.GetUser(b.ctx, b.pool, user); u == nil || u.Status != "FORCE_CHANGE_PASSWORD" {
				t.Fatalf("%s after resend: %+v", user, u)
			}
		}
		for user, want := range map[string]error{"xena": cognito.ErrUnsupportedState, "yan": cognito.ErrInvalidParameter, "nobody": cognito.ErrUserNotFound} {
			if _, err := b.dir.ResendInvitation(b.ctx, b.pool, user); !errors.Is(err, want) {
				t.Errorf("resend to %s: got %v, want %v", user, err, want)
			}
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "xena"); u == nil || u.Status != "CONFIRMED" || u.Email != "xena@example.com" {
			t.Errorf("confirmed user touched: %+v", u)
		}
		u, res, err := b.dir.CreateUser(b.ctx, b.pool, cognito.NewUser{Username: "zed", Invitation: cognito.InviteResend})
		if err != nil || u.Username != "zed" || u.Status != "FORCE_CHANGE_PASSWORD" || res.RequestID == "" {
			t.Fatalf("CreateUser(InviteResend) = %+v, %+v, %v", u, res, err)
		}
	})
}

func TestContractResetPassword(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "pat", Email: "pat@example.com", EmailVerified: true})
		b.seed(t, memdir.SeedUser{Username: "quinn", Phone: "+15555550123", PhoneVerified: true})
		b.seed(t, memdir.SeedUser{Username: "ray", Email: "ray@example.com"})
		b.seed(t, memdir.SeedUser{Username: "sam", Email: "sam@example.com", EmailVerified: true, Disabled: true})
		b.seed(t, memdir.SeedUser{Username: "tess", Email: "tess@example.com", EmailVerified: true, Status: "FORCE_CHANGE_PASSWORD"})
		for _, bl := range []struct{ user, reason, hint string }{
			{"sam", "disabled", "enable"},
			{"tess", "FORCE_CHANGE_PASSWORD", "resend the invitation"},
			{"ray", "no verified email or phone", "set a temporary password"},
		} {
			for name, err := range map[string]error{
				"check": b.dir.CheckResetPassword(b.ctx, b.pool, bl.user),
				"reset": second(b.dir.ResetPassword(b.ctx, b.pool, bl.user)),
			} {
				var rb *cognito.ResetBlockedError
				if !errors.Is(err, cognito.ErrResetNotPossible) || !errors.As(err, &rb) ||
					!strings.Contains(rb.Reason, bl.reason) || !strings.Contains(rb.Hint, bl.hint) {
					t.Errorf("%s %s: got %v, want a ResetBlockedError about %q with hint %q", name, bl.user, err, bl.reason, bl.hint)
				}
			}
			if u, _ := b.dir.GetUser(b.ctx, b.pool, bl.user); u == nil || u.Status == "RESET_REQUIRED" {
				t.Errorf("%s was reset despite the preflight: %+v", bl.user, u)
			}
		}
		for _, user := range []string{"pat", "quinn"} {
			if err := b.dir.CheckResetPassword(b.ctx, b.pool, user); err != nil {
				t.Fatalf("preflight %s: %v", user, err)
			}
			if res, err := b.dir.ResetPassword(b.ctx, b.pool, user); err != nil || res.RequestID == "" {
				t.Fatalf("ResetPassword(%s) = %+v, %v", user, res, err)
			}
			if u, _ := b.dir.GetUser(b.ctx, b.pool, user); u == nil || u.Status != "RESET_REQUIRED" {
				t.Fatalf("%s after reset: %+v", user, u)
			}
		}
		if _, err := b.dir.ResetPassword(b.ctx, b.pool, "nobody"); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("unknown user: got %v", err)
		}
		if err := b.dir.CheckResetPassword(b.ctx, b.missingPool, "pat"); !errors.Is(err, cognito.ErrPoolNotFound) {
			t.Errorf("unknown pool: got %v", err)
		}
	})
}

func TestContractSetPassword(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "uma", Email: "uma@example.com", Status: "FORCE_CHANGE_PASSWORD"})
		for _, weak := range []string{"short", "alllowercase1!", "NoDigits!!", "N0symbolsHere"} {
			if _, err := b.dir.SetPassword(b.ctx, b.pool, "uma", weak, true); !errors.Is(err, cognito.ErrInvalidPassword) {
				t.Errorf("weak password %q: got %v, want ErrInvalidPassword", weak, err)
			}
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "uma"); u == nil || u.Status != "FORCE_CHANGE_PASSWORD" {
			t.Fatalf("status after refused passwords: %+v", u)
		}
		for _, step := range []struct {
			permanent bool
			want      string
		}{{true, "CONFIRMED"}, {false, "FORCE_CHANGE_PASSWORD"}} {
			if res, err := b.dir.SetPassword(b.ctx, b.pool, "uma", awsdir.GoodPassword, step.permanent); err != nil || res.RequestID == "" {
				t.Fatalf("SetPassword(permanent=%v) = %+v, %v", step.permanent, res, err)
			}
			if u, _ := b.dir.GetUser(b.ctx, b.pool, "uma"); u == nil || u.Status != step.want {
				t.Fatalf("after permanent=%v: %+v", step.permanent, u)
			}
		}
		if _, err := b.dir.SetPassword(b.ctx, b.pool, "nobody", awsdir.GoodPassword, true); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("unknown user: got %v", err)
		}
		if _, err := b.dir.SetPassword(b.ctx, b.pool, "uma", "", true); !errors.Is(err, cognito.ErrInvalidPassword) {
			t.Errorf("empty password: got %v", err)
		}
	})
}

func TestContractUpdateAttributes(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "nina", Email: "nina@example.com",
			Attributes: map[string]string{"custom:team": "ops", "custom:employee_id": "E1"}})
		changed, res, err := b.dir.UpdateAttributes(b.ctx, b.pool, "nina", map[string]string{
			"email": "nina@example.com", "custom:team": "dev", "given_name": "Nina",
		})
		if err != nil || strings.Join(changed, ",") != "custom:team,given_name" || res.RequestID == "" {
			t.Fatalf("UpdateAttributes = %v, %+v, %v", changed, res, err)
		}
		u, _ := b.dir.GetUser(b.ctx, b.pool, "nina")
		if u == nil || u.Attributes["custom:team"] != "dev" || u.Attributes["given_name"] != "Nina" {
			t.Fatalf("read back: %+v", u)
		}
		changed, res, err = b.dir.UpdateAttributes(b.ctx, b.pool, "nina", map[string]string{"custom:team": "dev", "nickname": ""})
		if err != nil || len(changed) != 0 || res.RequestID != "" {
			t.Fatalf("no-op update: %v %+v %v", changed, res, err)
		}
		for name, want := range map[string]error{
			"custom:employee_id": cognito.ErrImmutableAttribute,
			"sub":                cognito.ErrImmutableAttribute,
			"custom:unknown":     cognito.ErrUnknownAttribute,
			"shoe_size":          cognito.ErrUnknownAttribute,
		} {
			if _, _, err := b.dir.UpdateAttributes(b.ctx, b.pool, "nina", map[string]string{name: "x"}); !errors.Is(err, want) {
				t.Errorf("update %s: got %v, want %v", name, err, want)
			}
		}
		if u, _ := b.dir.GetUser(b.ctx, b.pool, "nina"); u == nil || u.Attributes["custom:employee_id"] != "E1" || u.Attributes["custom:unknown"] != "" {
			t.Fatalf("refused writes landed: %+v", u)
		}
		for name, tc := range map[string]struct {
			user, pool string
			attrs      map[string]string
			want       error
		}{
			"unknown user": {"nobody", b.pool, map[string]string{"custom:team": "x"}, cognito.ErrUserNotFound},
			"unknown pool": {"nina", b.missingPool, map[string]string{"custom:team": "x"}, cognito.ErrPoolNotFound},
			"nothing":      {"nina", b.pool, nil, cognito.ErrInvalidParameter},
		} {
			if _, _, err := b.dir.UpdateAttributes(b.ctx, tc.pool, tc.user, tc.attrs); !errors.Is(err, tc.want) {
				t.Errorf("%s: got %v, want %v", name, err, tc.want)
			}
		}
	})
}

func TestContractDeleteAttributes(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "omar", Email: "omar@example.com",
			Attributes: map[string]string{"custom:team": "ops", "custom:employee_id": "E2", "nickname": "O"}})
		if res, err := b.dir.DeleteAttributes(b.ctx, b.pool, "omar", []string{"custom:team", "nickname"}); err != nil || res.RequestID == "" {
			t.Fatalf("DeleteAttributes = %+v, %v", res, err)
		}
		u, _ := b.dir.GetUser(b.ctx, b.pool, "omar")
		if _, ok := u.Attributes["custom:team"]; ok || u.Attributes["nickname"] != "" || u.Email != "omar@example.com" {
			t.Fatalf("after delete: %v", u.Attributes)
		}
		for name, want := range map[string]error{
			"custom:employee_id": cognito.ErrImmutableAttribute,
			"custom:unknown":     cognito.ErrUnknownAttribute,
		} {
			if _, err := b.dir.DeleteAttributes(b.ctx, b.pool, "omar", []string{name}); !errors.Is(err, want) {
				t.Errorf("delete %s: got %v, want %v", name, err, want)
			}
		}
		if _, err := b.dir.DeleteAttributes(b.ctx, b.pool, "nobody", []string{"nickname"}); !errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("unknown user: got %v", err)
		}
		if _, err := b.dir.DeleteAttributes(b.ctx, b.pool, "omar", nil); !errors.Is(err, cognito.ErrInvalidParameter) {
			t.Errorf("nothing to delete: got %v", err)
		}
	})
}

// TestContractInvalidInputs: malformed pool IDs and empty usernames are
// refused with ErrInvalidParameter by every method, before any call.
func TestContractInvalidInputs(t *testing.T) {
	contract(t, contractSpec(), func(t *testing.T, b *backend) {
		d, ctx, bad, p := b.dir, b.ctx, "nope", b.pool
		checks := map[string]error{
			"GetUser":            second(d.GetUser(ctx, bad, "bob")),
			"FindUsers":          second(d.FindUsers(ctx, bad, "bob", 0)),
			"ListUsers":          second(d.ListUsers(ctx, bad, cognito.ListFilter{}, 1, "")),
			"DisableUser":        second(d.DisableUser(ctx, p, "")),
			"EnableUser":         second(d.EnableUser(ctx, bad, "bob")),
			"CheckResetPassword": d.CheckResetPassword(ctx, bad, "bob"),
			"ResetPassword":      second(d.ResetPassword(ctx, p, "")),
			"SetPassword":        second(d.SetPassword(ctx, bad, "bob", awsdir.GoodPassword, true)),
			"SignOut":            second(d.SignOut(ctx, bad, "bob")),
			"DeleteUser":         second(d.DeleteUser(ctx, p, "")),
			"ResendInvitation":   second(d.ResendInvitation(ctx, p, "")),
			"DeleteAttributes":   second(d.DeleteAttributes(ctx, bad, "bob", []string{"nickname"})),
			"ListGroups":         second(d.ListGroups(ctx, bad)),
			"AddToGroup":         second(d.AddToGroup(ctx, bad, "bob", "support")),
			"RemoveFromGroup":    second(d.RemoveFromGroup(ctx, p, "bob", "")),
			"DescribePool":       second(d.DescribePool(ctx, bad)),
		}
		_, _, checks["CreateUser"] = d.CreateUser(ctx, bad, cognito.NewUser{Username: "bob", Invitation: cognito.InviteSuppress})
		_, _, checks["UpdateAttributes"] = d.UpdateAttributes(ctx, p, "", map[string]string{"nickname": "b"})
		for name, err := range checks {
			if !errors.Is(err, cognito.ErrInvalidParameter) {
				t.Errorf("%s: got %v, want ErrInvalidParameter", name, err)
			}
		}
	})
}
