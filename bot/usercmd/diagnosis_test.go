package usercmd

import (
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func TestDiagnose(t *testing.T) {
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	pool := cognito.PoolInfo{TemporaryPasswordValidityDays: 7, AccountRecovery: []string{"verified_email", "verified_phone_number"}}
	adminOnly := cognito.PoolInfo{TemporaryPasswordValidityDays: 7, AccountRecovery: []string{"admin_only"}}
	user := func(status string, mod func(*cognito.User)) cognito.User {
		u := cognito.User{Username: "alice", Status: status, Enabled: true, Email: "alice@example.com", EmailVerified: true,
			Modified: now.Add(-2 * 24 * time.Hour), Attributes: map[string]string{}}
		if mod != nil {
			mod(&u)
		}
		return u
	}
	lastSignIn := time.Date(2026, 3, 19, 8, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		u       cognito.User
		pool    cognito.PoolInfo
		last    time.Time
		blocked bool
		fix     actions.Action
		arg     string
		says    []string
		never   []string
	}{
		{"disabled → Enable", user("CONFIRMED", func(u *cognito.User) { u.Enabled = false }), pool, time.Time{}, true, actions.Enable, "",
			[]string{"disabled"}, nil},
		{"disabled beats every status", user("UNCONFIRMED", func(u *cognito.User) { u.Enabled = false }), pool, time.Time{}, true, actions.Enable, "",
			[]string{"disabled"}, nil},
		{"invitation expired → Resend invite", user("FORCE_CHANGE_PASSWORD", func(u *cognito.User) { u.Modified = now.Add(-8 * 24 * time.Hour) }), pool, time.Time{},
			true, actions.ResendInvite, "", []string{"expired on 19 Mar 2026", "7 days"}, nil},
		{"invited long ago, enabled since: may have expired → Resend invite", user("FORCE_CHANGE_PASSWORD", func(u *cognito.User) {
			u.Created, u.Modified = now.Add(-20*24*time.Hour), now.Add(-time.Hour)
		}), pool, time.Time{}, true, actions.ResendInvite, "", []string{"invited on 28 Feb 2026", "unless it was resent"}, nil},
		{"invitation still valid: no fix", user("FORCE_CHANGE_PASSWORD", nil), pool, time.Time{}, false, "", "",
			[]string{"invited on 18 Mar 2026", "until 25 Mar 2026"}, nil},
		{"validity follows the pool", user("FORCE_CHANGE_PASSWORD", nil), cognito.PoolInfo{TemporaryPasswordValidityDays: 1}, time.Time{},
			true, actions.ResendInvite, "", []string{"1 days"}, nil},
		{"unconfirmed → Confirm sign-up", user("UNCONFIRMED", nil), pool, time.Time{}, true, actions.ConfirmSignUp, "",
			[]string{"never entered the confirmation code"}, nil},
		{"reset required: waiting, code to masked email", user("RESET_REQUIRED", nil), pool, time.Time{}, true, "", "",
			[]string{"waiting for them", "a***@example.com"}, []string{"alice@example.com"}},
		{"reset required: phone first when the pool says so", user("RESET_REQUIRED", func(u *cognito.User) { u.Phone, u.PhoneVerified = "+15555550123", true }),
			cognito.PoolInfo{AccountRecovery: []string{"verified_phone_number", "verified_email"}}, time.Time{}, true, "", "",
			[]string{"+1******0123"}, []string{"5555550123"}},
		{"reset required without a verified contact → Verify", user("RESET_REQUIRED", func(u *cognito.User) { u.EmailVerified = false }), pool, time.Time{},
			true, actions.Verify, "email", []string{"no verified email or phone"}, nil},
		{"no verified contact → Verify phone", user("CONFIRMED", func(u *cognito.User) { u.Email, u.EmailVerified, u.Phone = "", false, "+15555550123" }),
			pool, time.Time{}, false, actions.Verify, "phone", []string{"Nothing blocks sign-in, but", "no reset code"}, nil},
		{"no contact at all: say add one", user("CONFIRMED", func(u *cognito.User) { u.Email, u.EmailVerified = "", false }), pool, time.Time{},
			false, "", "", []string{"Add an email or phone"}, nil},
		{"admin-only recovery needs no verified contact", user("CONFIRMED", func(u *cognito.User) { u.EmailVerified = false }), adminOnly, time.Time{},
			false, "", "", []string{"Nothing blocks sign-in."}, []string{"verified"}},
		{"federated → provider from identities", user("EXTERNAL_PROVIDER", func(u *cognito.User) {
			u.Username = "google_123"
			u.Attributes["identities"] = `[{"userId":"123","providerName":"Google","providerType":"Google"}]`
		}), pool, time.Time{}, false, "", "", []string{"signs in with Google; password actions do not apply"}, nil},
		{"federated → provider from the username", user("EXTERNAL_PROVIDER", func(u *cognito.User) { u.Username = "AzureAD_abc" }), pool, time.Time{},
			false, "", "", []string{"signs in with AzureAD"}, nil},
		{"compromised → reset password", user("COMPROMISED", nil), pool, time.Time{}, true, actions.ResetPassword, "", []string{"compromised"}, nil},
		{"fine, with the last sign-in", user("CONFIRMED", nil), pool, lastSignIn, false, "", "",
			[]string{"Nothing blocks sign-in.", "Last successful sign-in: 19 Mar 2026 08:30 UTC"}, nil},
		{"fine, last sign-in unknown", user("CONFIRMED", nil), pool, time.Time{}, false, "", "", []string{"Nothing blocks sign-in."}, []string{"Last"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := diagnose(tc.u, tc.pool, tc.last, time.Time{}, now)
			if d.Blocked != tc.blocked || d.Fix != tc.fix || d.FixArgs["attribute"] != tc.arg {
				t.Errorf("blocked %v fix %q %v; want blocked %v fix %q %q", d.Blocked, d.Fix, d.FixArgs, tc.blocked, tc.fix, tc.arg)
			}
			for _, s := range tc.says {
				if !strings.Contains(d.Sentence, s) {
					t.Errorf("sentence %q does not say %q", d.Sentence, s)
				}
			}
			for _, s := range tc.never {
				if strings.Contains(d.Sentence, s) {
					t.Errorf("sentence %q should not say %q", d.Sentence, s)
				}
			}
		})
	}
}

func TestLastSuccessfulSignInIgnoresFailures(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	got := lastSuccessfulSignIn([]cognito.AuthEvent{
		{Time: at.Add(3 * time.Hour), Type: "SignIn", Result: "Fail"},
		{Time: at.Add(2 * time.Hour), Type: "PasswordChange", Result: "Pass"},
		{Time: at.Add(time.Hour), Type: "SignIn", Result: "Pass"},
	})
	if !got.Equal(at.Add(time.Hour)) {
		t.Errorf("got %v", got)
	}
}

// Cognito keeps no date of a resent invitation, but the bot's audit log does:
// a user invited long ago whom the bot re-invited yesterday is not expired.
func TestDiagnoseCountsTheBotsOwnResend(t *testing.T) {
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	u := cognito.User{Username: "ivan", Status: "FORCE_CHANGE_PASSWORD", Enabled: true, Created: now.Add(-20 * 24 * time.Hour),
		Modified: now.Add(-24 * time.Hour), Attributes: map[string]string{}}
	pool := cognito.PoolInfo{TemporaryPasswordValidityDays: 7}
	if d := diagnose(u, pool, time.Time{}, time.Time{}, now); d.Fix != actions.ResendInvite {
		t.Errorf("without a known resend: %+v; want Resend invite", d)
	}
	d := diagnose(u, pool, time.Time{}, now.Add(-24*time.Hour), now)
	if d.Fix != "" || !strings.Contains(d.Sentence, "invited on 19 Mar 2026") {
		t.Errorf("after the bot's resend: %+v; want valid, invited on 19 Mar 2026", d)
	}
}
