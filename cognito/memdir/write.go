package memdir

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// memResetsPerHour is the per-user password-reset limit Memory enforces with
// ErrLimitExceeded: the low end of Cognito's risk-based 5–20 per hour.
const memResetsPerHour = 5

// withUser runs change on the user named username (or an alias of it) under the
// lock, after the checks Directory makes before calling Cognito; what names the
// operation in errors, e.g. "disabling user %q" with the username filled in.
func (m *Memory) withUser(ctx context.Context, poolID, username, what string, change func(p *memPool, u *memUser) error) (cognito.Result, error) {
	what = fmt.Sprintf(what, username)
	fail := func(err error) (cognito.Result, error) { return cognito.Result{}, fmt.Errorf("%s: %w", what, err) }
	if username == "" {
		return fail(fmt.Errorf("%w: empty username", cognito.ErrInvalidParameter))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return fail(err)
	}
	u, err := p.find(username)
	if err != nil {
		return fail(err)
	}
	if err := change(p, u); err != nil {
		return fail(err)
	}
	return done(), nil
}

// DisableUser is awsdir.Directory.DisableUser: Enabled becomes false, status is kept.
func (m *Memory) DisableUser(ctx context.Context, poolID, username string) (cognito.Result, error) {
	return m.withUser(ctx, poolID, username, "disabling user %q", func(_ *memPool, u *memUser) error {
		u.enabled = false
		u.modified = m.now()
		return nil
	})
}

// EnableUser is awsdir.Directory.EnableUser.
func (m *Memory) EnableUser(ctx context.Context, poolID, username string) (cognito.Result, error) {
	return m.withUser(ctx, poolID, username, "enabling user %q", func(_ *memPool, u *memUser) error {
		u.enabled = true
		u.modified = m.now()
		return nil
	})
}

// SignOut is awsdir.Directory.SignOut. Memory issues no tokens, so only the user's
// existence is checked.
func (m *Memory) SignOut(ctx context.Context, poolID, username string) (cognito.Result, error) {
	return m.withUser(ctx, poolID, username, "signing out user %q", func(*memPool, *memUser) error { return nil })
}

// DeleteUser is awsdir.Directory.DeleteUser; a second delete gives ErrUserNotFound.
func (m *Memory) DeleteUser(ctx context.Context, poolID, username string) (cognito.Result, error) {
	return m.withUser(ctx, poolID, username, "deleting user %q", func(p *memPool, u *memUser) error {
		delete(p.users, u.username)
		return nil
	})
}

// CheckResetPassword is awsdir.Directory.CheckResetPassword, with the same reasons.
func (m *Memory) CheckResetPassword(ctx context.Context, poolID, username string) error {
	_, err := m.withUser(ctx, poolID, username, "checking password reset for %q", func(p *memPool, u *memUser) error {
		if b := cognito.ResetBlocker(u.detailed(), p.desc); b != nil {
			return b
		}
		return nil
	})
	return err
}

// ResetPassword is awsdir.Directory.ResetPassword: the preflight, then RESET_REQUIRED.
// More than memResetsPerHour resets of one user within an hour give
// ErrLimitExceeded, as Cognito's per-user limit does.
func (m *Memory) ResetPassword(ctx context.Context, poolID, username string) (cognito.Result, error) {
	if err := m.CheckResetPassword(ctx, poolID, username); err != nil {
		return cognito.Result{}, err
	}
	return m.withUser(ctx, poolID, username, "resetting password of %q", func(p *memPool, u *memUser) error {
		if b := cognito.ResetBlocker(u.detailed(), p.desc); b != nil { // changed since the check
			return b
		}
		now := m.now()
		recent := u.resets[:0]
		for _, t := range u.resets {
			if now.Sub(t) < time.Hour {
				recent = append(recent, t)
			}
		}
		u.resets = recent
		if len(recent) >= memResetsPerHour {
			return fmt.Errorf("%w: attempt limit exceeded, please try after some time", cognito.ErrLimitExceeded)
		}
		u.resets = append(u.resets, now)
		u.status = string(types.UserStatusTypeResetRequired)
		u.modified = now
		return nil
	})
}

// SetPassword is awsdir.Directory.SetPassword: the password must meet the pool's
// policy; permanent makes the user CONFIRMED, temporary FORCE_CHANGE_PASSWORD.
func (m *Memory) SetPassword(ctx context.Context, poolID, username, password string, permanent bool) (cognito.Result, error) {
	if username != "" && password == "" {
		return cognito.Result{}, fmt.Errorf("setting password of %q: %w: empty password", username, cognito.ErrInvalidPassword)
	}
	return m.withUser(ctx, poolID, username, "setting password of %q", func(p *memPool, u *memUser) error {
		if err := cognito.CheckPassword(p.spec.PasswordPolicy, password); err != nil {
			return err
		}
		u.status = string(types.UserStatusTypeForceChangePassword)
		if permanent {
			u.status = string(types.UserStatusTypeConfirmed)
		}
		u.modified = m.now()
		return nil
	})
}
