package cognito

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestMotoResetPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.confirmed("pat", "email", "pat@example.com", "email_verified", "true")
	f.confirmed("quinn", "phone_number", "+15555550123", "phone_number_verified", "true")
	f.confirmed("ray", "email", "ray@example.com") // email not verified
	f.confirmed("sam", "email", "sam@example.com", "email_verified", "true")
	f.disable("sam")
	f.invite("tess", "email", "tess@example.com", "email_verified", "true")

	blocked := []struct {
		user, reason, hint string
	}{
		{"sam", "disabled", "enable"},
		{"tess", "FORCE_CHANGE_PASSWORD", "resend the invitation"},
		{"ray", "no verified email or phone", "set a temporary password"},
	}
	for _, b := range blocked {
		for name, err := range map[string]error{
			"check": f.dir.CheckResetPassword(f.ctx, f.pool, b.user),
			"reset": second(f.dir.ResetPassword(f.ctx, f.pool, b.user)),
		} {
			var rb *ResetBlockedError
			if !errors.Is(err, ErrResetNotPossible) || !errors.As(err, &rb) ||
				!strings.Contains(rb.Reason, b.reason) || !strings.Contains(rb.Hint, b.hint) {
				t.Errorf("%s %s: got %v, want a ResetBlockedError about %q with hint %q", name, b.user, err, b.reason, b.hint)
			}
		}
		if got := f.read(b.user).UserStatus; got == types.UserStatusTypeResetRequired {
			t.Errorf("%s was reset despite the preflight", b.user)
		}
	}

	for _, user := range []string{"pat", "quinn"} {
		if err := f.dir.CheckResetPassword(f.ctx, f.pool, user); err != nil {
			t.Fatalf("preflight %s: %v", user, err)
		}
		res, err := f.dir.ResetPassword(f.ctx, f.pool, user)
		if err != nil || res.RequestID == "" {
			t.Fatalf("ResetPassword(%s) = %+v, %v", user, res, err)
		}
		if got := f.read(user).UserStatus; got != types.UserStatusTypeResetRequired {
			t.Fatalf("%s status %s, want RESET_REQUIRED", user, got)
		}
	}
	if _, err := f.dir.ResetPassword(f.ctx, f.pool, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: got %v", err)
	}
}

func TestMotoSetPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.invite("uma", "email", "uma@example.com")
	if _, err := f.dir.SetPassword(f.ctx, f.pool, "uma", "short", true); !errors.Is(err, ErrInvalidPassword) {
		t.Fatalf("weak password: got %v, want ErrInvalidPassword", err)
	}
	if got := f.read("uma").UserStatus; got != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status after refused password: %s", got)
	}
	if _, err := f.dir.SetPassword(f.ctx, f.pool, "uma", testPassword, true); err != nil {
		t.Fatal(err)
	}
	if got := f.read("uma").UserStatus; got != types.UserStatusTypeConfirmed {
		t.Fatalf("status after permanent password: %s", got)
	}
	if _, err := f.dir.SetPassword(f.ctx, f.pool, "uma", testPassword, false); err != nil {
		t.Fatal(err)
	}
	if got := f.read("uma").UserStatus; got != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status after temporary password: %s", got)
	}
	if _, err := f.dir.SetPassword(f.ctx, f.pool, "nobody", testPassword, true); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: got %v", err)
	}
}

func TestMotoResendInvitation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.invite("vic", "email", "vic@example.com")
	f.invite("walt", "phone_number", "+15555550199")
	f.confirmed("xena", "email", "xena@example.com")
	f.invite("yan") // no contact
	f.invite("zed", "email", "zed@example.com")

	for _, user := range []string{"vic", "walt"} {
		res, err := f.dir.ResendInvitation(f.ctx, f.pool, user)
		if err != nil || res.RequestID == "" {
			t.Fatalf("ResendInvitation(%s) = %+v, %v", user, res, err)
		}
		// moto re-creates the user on RESEND (new sub, attributes from the
		// request only); real Cognito keeps the profile. Only the status is
		// common ground.
		if got := f.read(user).UserStatus; got != types.UserStatusTypeForceChangePassword {
			t.Fatalf("%s status %s after resend", user, got)
		}
	}
	if _, err := f.dir.ResendInvitation(f.ctx, f.pool, "xena"); !errors.Is(err, ErrUnsupportedState) {
		t.Fatalf("resend to a confirmed user: got %v, want ErrUnsupportedState", err)
	}
	if got := f.read("xena").UserStatus; got != types.UserStatusTypeConfirmed {
		t.Fatalf("confirmed user touched: %s", got)
	}
	if _, err := f.dir.ResendInvitation(f.ctx, f.pool, "yan"); !errors.Is(err, ErrInvalidParameter) {
		t.Fatalf("resend without contact: got %v, want ErrInvalidParameter", err)
	}
	if _, err := f.dir.ResendInvitation(f.ctx, f.pool, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("unknown user: got %v", err)
	}
	// CreateUser with InviteResend is the same operation plus a read. (A fresh
	// user: after moto's RESEND, walt and vic have lost their contacts.)
	u, res, err := f.dir.CreateUser(f.ctx, f.pool, NewUser{Username: "zed", Invitation: InviteResend})
	if err != nil || u.Username != "zed" || u.Status != "FORCE_CHANGE_PASSWORD" || res.RequestID == "" {
		t.Fatalf("CreateUser(InviteResend) = %+v, %+v, %v", u, res, err)
	}
}
