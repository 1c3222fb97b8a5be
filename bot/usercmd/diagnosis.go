package usercmd

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// diagnosis is one sentence on why a user can or cannot sign in, and the one
// action that fixes it.
type diagnosis struct {
	// Blocked reports whether the user cannot sign in now.
	Blocked bool
	// Sentence is plain text (the views escape it); contact details in it are masked.
	Sentence string
	// Fix is the action that fixes it, "" when none applies.
	Fix actions.Action
	// FixArgs are Fix's args (verify's attribute).
	FixArgs map[string]string
}

// diagnose explains u's sign-in situation in pool, as of now. lastSignIn is
// the last successful sign-in when known (zero otherwise). It is a pure
// function of its inputs; the rules are checked in order and the first wins.
//
// lastResend is when the bot last re-sent the user's invitation (from its audit
// log; zero if never): Cognito keeps no date of it.
func diagnose(u cognito.User, pool cognito.PoolInfo, lastSignIn, lastResend, now time.Time) diagnosis {
	name := u.Username
	switch {
	case !u.Enabled:
		return diagnosis{Blocked: true, Fix: actions.Enable,
			Sentence: name + " is disabled, so Cognito refuses every sign-in."}
	case u.Status == "EXTERNAL_PROVIDER":
		return diagnosis{Sentence: name + " signs in with " + providerOf(u) + "; password actions do not apply."}
	case u.Status == "UNCONFIRMED":
		return diagnosis{Blocked: true, Fix: actions.ConfirmSignUp,
			Sentence: name + " signed up but never entered the confirmation code, so they cannot sign in yet."}
	case u.Status == "FORCE_CHANGE_PASSWORD":
		days := pool.TemporaryPasswordValidityDays
		if days <= 0 {
			days = 7
		}
		// The temporary password counts from the last invitation. Cognito does
		// not say when that was: it is no earlier than the creation and no
		// later than the last change, which an enable or an edit also moves.
		validity := time.Duration(days) * 24 * time.Hour
		invited := u.Created
		if invited.IsZero() {
			invited = u.Modified
		}
		if lastResend.After(invited) {
			invited = lastResend
		}
		latest, earliest := u.Modified.Add(validity), invited.Add(validity)
		switch {
		case !now.Before(latest):
			return diagnosis{Blocked: true, Fix: actions.ResendInvite,
				Sentence: fmt.Sprintf("%s never signed in, and their invitation expired on %s (temporary passwords last %d days).", name, day(latest), days)}
		case !now.Before(earliest):
			return diagnosis{Blocked: true, Fix: actions.ResendInvite,
				Sentence: fmt.Sprintf("%s never signed in. They were invited on %s and temporary passwords last %d days, so their invitation has expired unless it was resent since.", name, day(invited), days)}
		}
		return diagnosis{Sentence: fmt.Sprintf("%s was invited on %s and has not signed in yet; the temporary password works until %s.", name, day(invited), day(earliest))}
	case u.Status == "RESET_REQUIRED":
		if to := codeDestination(u, pool); to != "" {
			return diagnosis{Blocked: true, Sentence: name + " must choose a new password with the reset code sent to " + to + "; waiting for them."}
		}
		return verifyFix(u, diagnosis{Blocked: true,
			Sentence: name + " must choose a new password, but has no verified email or phone for the reset code to reach."})
	case u.Status == "COMPROMISED":
		return diagnosis{Blocked: true, Fix: actions.ResetPassword,
			Sentence: "Cognito flagged " + name + "'s password as compromised; they need a password reset."}
	case needsVerifiedContact(pool) && !u.EmailVerified && !u.PhoneVerified:
		return verifyFix(u, diagnosis{
			Sentence: "Nothing blocks sign-in, but " + name + " has no verified email or phone, so if they forget their password no reset code can reach them."})
	}
	s := "Nothing blocks sign-in."
	if !lastSignIn.IsZero() {
		s += " Last successful sign-in: " + lastSignIn.UTC().Format("2 Jan 2006 15:04 UTC") + "."
	}
	return diagnosis{Sentence: s}
}

// lastResend is when the bot last re-sent username's invitation with success,
// read from its audit log (zero when never, or when the log cannot be read:
// the diagnosis then judges from the creation date).
func lastResend(ctx context.Context, log pipeline.AuditReader, poolID, username string) time.Time {
	entries, _, err := log.ByTarget(ctx, poolID, username, 50, "")
	if err != nil {
		return time.Time{}
	}
	var last time.Time
	for _, e := range entries {
		if e.Action == string(actions.ResendInvite) && e.Decision == audit.Allowed && e.Outcome == audit.OutcomeOK && e.Time.After(last) {
			last = e.Time
		}
	}
	return last
}

// verifyFix offers verify for the contact the user has (email first), or
// says to add one when they have neither.
func verifyFix(u cognito.User, d diagnosis) diagnosis {
	switch {
	case u.Email != "":
		d.Fix, d.FixArgs = actions.Verify, map[string]string{"attribute": "email"}
	case u.Phone != "":
		d.Fix, d.FixArgs = actions.Verify, map[string]string{"attribute": "phone"}
	default:
		d.Sentence += " Add an email or phone first (edit)."
	}
	return d
}

// needsVerifiedContact reports whether the pool recovers accounts by code
// (anything but admin_only).
func needsVerifiedContact(pool cognito.PoolInfo) bool {
	return !(len(pool.AccountRecovery) == 1 && pool.AccountRecovery[0] == "admin_only")
}

// codeDestination is where Cognito sends a reset code, masked: the first
// verified mechanism of the pool's recovery setting (email first when unset).
func codeDestination(u cognito.User, pool cognito.PoolInfo) string {
	order := pool.AccountRecovery
	if len(order) == 0 {
		order = []string{"verified_email", "verified_phone_number"}
	}
	for _, m := range order {
		switch {
		case m == "verified_email" && u.EmailVerified && u.Email != "":
			return "the email " + views.MaskEmail(u.Email)
		case m == "verified_phone_number" && u.PhoneVerified && u.Phone != "":
			return "the phone " + views.MaskPhone(u.Phone)
		}
	}
	return ""
}

// providerOf names a federated user's identity provider: from the identities
// attribute, else the username's "Provider_id" prefix.
func providerOf(u cognito.User) string {
	var ids []struct {
		ProviderName string `json:"providerName"`
	}
	if json.Unmarshal([]byte(u.Attributes["identities"]), &ids) == nil {
		if i := slices.IndexFunc(ids, func(x struct {
			ProviderName string `json:"providerName"`
		}) bool {
			return x.ProviderName != ""
		}); i >= 0 {
			return ids[i].ProviderName
		}
	}
	if p, _, ok := strings.Cut(u.Username, "_"); ok && p != "" {
		return p
	}
	return "an external identity provider"
}

func day(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// lastSuccessfulSignIn is the newest passed sign-in among events.
func lastSuccessfulSignIn(events []cognito.AuthEvent) time.Time {
	var last time.Time
	for _, e := range events {
		if e.Type == "SignIn" && e.Result == "Pass" && e.Time.After(last) {
			last = e.Time
		}
	}
	return last
}
