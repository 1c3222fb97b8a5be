package cognito

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// memResetsPerHour is the per-user password-reset limit Memory enforces with
// ErrLimitExceeded: the low end of Cognito's risk-based 5–20 per hour.
const memResetsPerHour = 5

// memMaxGroupsPerUser is Cognito's limit on one user's group memberships.
const memMaxGroupsPerUser = 100

// withUser runs change on the user named username (or an alias of it) under the
// lock, after the checks Directory makes before calling Cognito; what names the
// operation in errors, e.g. "disabling user %q" with the username filled in.
func (m *Memory) withUser(ctx context.Context, poolID, username, what string, change func(p *memPool, u *memUser) error) (Result, error) {
	what = fmt.Sprintf(what, username)
	fail := func(err error) (Result, error) { return Result{}, fmt.Errorf("%s: %w", what, err) }
	if username == "" {
		return fail(fmt.Errorf("%w: empty username", ErrInvalidParameter))
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

// DisableUser is Directory.DisableUser: Enabled becomes false, status is kept.
func (m *Memory) DisableUser(ctx context.Context, poolID, username string) (Result, error) {
	return m.withUser(ctx, poolID, username, "disabling user %q", func(_ *memPool, u *memUser) error {
		u.enabled = false
		u.modified = m.now()
		return nil
	})
}

// EnableUser is Directory.EnableUser.
func (m *Memory) EnableUser(ctx context.Context, poolID, username string) (Result, error) {
	return m.withUser(ctx, poolID, username, "enabling user %q", func(_ *memPool, u *memUser) error {
		u.enabled = true
		u.modified = m.now()
		return nil
	})
}

// SignOut is Directory.SignOut. Memory issues no tokens, so only the user's
// existence is checked.
func (m *Memory) SignOut(ctx context.Context, poolID, username string) (Result, error) {
	return m.withUser(ctx, poolID, username, "signing out user %q", func(*memPool, *memUser) error { return nil })
}

// DeleteUser is Directory.DeleteUser; a second delete gives ErrUserNotFound.
func (m *Memory) DeleteUser(ctx context.Context, poolID, username string) (Result, error) {
	return m.withUser(ctx, poolID, username, "deleting user %q", func(p *memPool, u *memUser) error {
		delete(p.users, u.username)
		return nil
	})
}

// CheckResetPassword is Directory.CheckResetPassword, with the same reasons.
func (m *Memory) CheckResetPassword(ctx context.Context, poolID, username string) error {
	_, err := m.withUser(ctx, poolID, username, "checking password reset for %q", func(p *memPool, u *memUser) error {
		if b := resetBlocker(u.detailed(), p.desc); b != nil {
			return b
		}
		return nil
	})
	return err
}

// ResetPassword is Directory.ResetPassword: the preflight, then RESET_REQUIRED.
// More than memResetsPerHour resets of one user within an hour give
// ErrLimitExceeded, as Cognito's per-user limit does.
func (m *Memory) ResetPassword(ctx context.Context, poolID, username string) (Result, error) {
	if err := m.CheckResetPassword(ctx, poolID, username); err != nil {
		return Result{}, err
	}
	return m.withUser(ctx, poolID, username, "resetting password of %q", func(p *memPool, u *memUser) error {
		if b := resetBlocker(u.detailed(), p.desc); b != nil { // changed since the check
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
			return fmt.Errorf("%w: attempt limit exceeded, please try after some time", ErrLimitExceeded)
		}
		u.resets = append(u.resets, now)
		u.status = string(types.UserStatusTypeResetRequired)
		u.modified = now
		return nil
	})
}

// SetPassword is Directory.SetPassword: the password must meet the pool's
// policy; permanent makes the user CONFIRMED, temporary FORCE_CHANGE_PASSWORD.
func (m *Memory) SetPassword(ctx context.Context, poolID, username, password string, permanent bool) (Result, error) {
	if username != "" && password == "" {
		return Result{}, fmt.Errorf("setting password of %q: %w: empty password", username, ErrInvalidPassword)
	}
	return m.withUser(ctx, poolID, username, "setting password of %q", func(p *memPool, u *memUser) error {
		if err := checkPassword(p.spec.PasswordPolicy, password); err != nil {
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

// CreateUser is Directory.CreateUser: the same input checks, then what Cognito
// checks (existing username, schema, required attributes, the password policy
// for a temporary password, aliases). No message is sent, so ErrCodeDelivery
// never happens.
func (m *Memory) CreateUser(ctx context.Context, poolID string, in NewUser) (*User, Result, error) {
	fail := func(err error) (*User, Result, error) {
		return nil, Result{}, fmt.Errorf("creating user %q: %w", in.Username, err)
	}
	if in.Username == "" {
		return fail(fmt.Errorf("%w: empty username", ErrInvalidParameter))
	}
	if _, err := PoolRegion(poolID); err != nil {
		return fail(err)
	}
	if in.Invitation == InviteResend {
		res, err := m.ResendInvitation(ctx, poolID, in.Username)
		if err != nil {
			return nil, Result{}, err
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		p, err := m.pool(ctx, poolID)
		if err != nil {
			return nil, res, fmt.Errorf("reading re-invited user %q: %w", in.Username, err)
		}
		u, err := p.find(in.Username)
		if err != nil {
			return nil, res, fmt.Errorf("reading re-invited user %q: %w", in.Username, err)
		}
		return u.detailed(), res, nil
	}
	input, err := createInput(poolID, in)
	if err != nil {
		return fail(err)
	}
	attrs := map[string]string{}
	for _, a := range input.UserAttributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return fail(err)
	}
	if _, ok := attrs["sub"]; ok {
		return fail(fmt.Errorf("%w: sub cannot be set", ErrInvalidParameter))
	}
	u := &memUser{username: in.Username, attrs: attrs, status: string(types.UserStatusTypeForceChangePassword),
		enabled: true, created: m.now(), groups: map[string]bool{}}
	u.modified = u.created
	u.attrs["sub"] = newUUID()
	if err := p.signInName(u, in.Username); err != nil {
		return fail(err)
	}
	if !usernamePattern.MatchString(u.username) {
		return fail(fmt.Errorf("%w: username %q is too long or contains spaces", ErrInvalidParameter, u.username))
	}
	if in.TemporaryPassword != "" {
		if err := checkPassword(p.spec.PasswordPolicy, in.TemporaryPassword); err != nil {
			return fail(err)
		}
	}
	if err := p.admit(u); err != nil {
		return fail(err)
	}
	out := u.listed()
	return &out, done(), nil
}

// signInName applies a pool's UsernameAttributes to a new user: the given
// name must then be an email or phone (as allowed), which becomes that
// attribute, and the username is the sub, as Cognito generates it.
func (p *memPool) signInName(u *memUser, given string) error {
	if len(p.spec.UsernameAttributes) == 0 {
		return nil
	}
	attr := ""
	for _, a := range p.spec.UsernameAttributes {
		if (a == "email" && strings.Contains(given, "@")) || (a == "phone_number" && strings.HasPrefix(given, "+")) {
			attr = a
		}
	}
	if attr == "" {
		return fmt.Errorf("%w: username should be one of %v", ErrInvalidParameter, p.spec.UsernameAttributes)
	}
	if v, ok := u.attrs[attr]; ok && !strings.EqualFold(v, given) {
		return fmt.Errorf("%w: %s differs from the username", ErrInvalidParameter, attr)
	}
	for _, other := range p.users {
		if strings.EqualFold(other.attrs[attr], given) {
			return fmt.Errorf("%w: an account with the given %s already exists", ErrUserExists, attr)
		}
	}
	u.attrs[attr] = given
	u.username = u.attrs["sub"]
	return nil
}

// ResendInvitation is Directory.ResendInvitation: only FORCE_CHANGE_PASSWORD
// users with an email or phone; it renews the invitation (Modified is now).
func (m *Memory) ResendInvitation(ctx context.Context, poolID, username string) (Result, error) {
	return m.withUser(ctx, poolID, username, "resending invitation to %q", func(_ *memPool, u *memUser) error {
		if u.status != string(types.UserStatusTypeForceChangePassword) {
			return fmt.Errorf("%w: status is %s, the user has already set a password", ErrUnsupportedState, u.status)
		}
		if u.attrs["email"] == "" && u.attrs["phone_number"] == "" {
			return fmt.Errorf("%w: the user has neither email nor phone", ErrInvalidParameter)
		}
		u.modified = m.now()
		return nil
	})
}

// UpdateAttributes is Directory.UpdateAttributes. A changed email or phone
// becomes unverified unless its *_verified flag is sent along, as in a pool
// without pending verification.
func (m *Memory) UpdateAttributes(ctx context.Context, poolID, username string, attrs map[string]string) ([]string, Result, error) {
	fail := func(err error) ([]string, Result, error) {
		return nil, Result{}, fmt.Errorf("updating attributes of user %q: %w", username, err)
	}
	if username == "" || len(attrs) == 0 {
		return fail(fmt.Errorf("%w: empty username or no attributes given", ErrInvalidParameter))
	}
	var names []string
	res, err := m.withUser(ctx, poolID, username, "updating attributes of user %q", func(p *memPool, u *memUser) error {
		for name := range attrs {
			if _, err := checkWritable(p.desc, name); err != nil {
				return err
			}
		}
		var changed map[string]string
		changed, names = changedAttributes(u.attrs, attrs)
		if len(names) == 0 {
			return nil
		}
		next := maps.Clone(u.attrs)
		for name, v := range changed {
			if err := p.checkAttribute(name, v); err != nil {
				return err
			}
			next[name] = v
			if v == "" {
				delete(next, name)
			}
		}
		unverify(next, changed)
		for _, name := range p.required() {
			if next[name] == "" {
				return fmt.Errorf("%w: attribute %q is required by the pool", ErrInvalidParameter, name)
			}
		}
		if err := p.checkAliases(u, next); err != nil {
			return err
		}
		u.attrs = next
		u.modified = m.now()
		return nil
	})
	if err != nil {
		return nil, Result{}, err
	}
	if len(names) == 0 {
		return names, Result{}, nil
	}
	return names, res, nil
}

// unverify drops the verification of a contact that changed (or went) without
// its flag being set in the same write.
func unverify(attrs, changed map[string]string) {
	for contact, flag := range map[string]string{"email": "email_verified", "phone_number": "phone_number_verified"} {
		if _, ok := changed[contact]; !ok {
			continue
		}
		if _, ok := changed[flag]; ok {
			continue
		}
		if attrs[contact] == "" {
			delete(attrs, flag)
		} else {
			attrs[flag] = "false"
		}
	}
}

// DeleteAttributes is Directory.DeleteAttributes: schema-checked, required
// attributes refused.
func (m *Memory) DeleteAttributes(ctx context.Context, poolID, username string, names []string) (Result, error) {
	if username != "" && len(names) == 0 {
		return Result{}, fmt.Errorf("deleting attributes of user %q: %w: no attributes given", username, ErrInvalidParameter)
	}
	return m.withUser(ctx, poolID, username, "deleting attributes of user %q", func(p *memPool, u *memUser) error {
		removed := map[string]string{}
		for _, name := range names {
			a, err := checkWritable(p.desc, name)
			if err != nil {
				return err
			}
			if a != nil && aws.ToBool(a.Required) {
				return fmt.Errorf("%w: attribute %q is required by the pool", ErrInvalidParameter, name)
			}
			removed[name] = ""
		}
		next := maps.Clone(u.attrs)
		for name := range removed {
			delete(next, name)
		}
		unverify(next, removed)
		u.attrs = next
		u.modified = m.now()
		return nil
	})
}

// AddToGroup is Directory.AddToGroup; adding a member again changes nothing.
func (m *Memory) AddToGroup(ctx context.Context, poolID, username, group string) (Result, error) {
	what := "adding user %q to group " + strings.ReplaceAll(fmt.Sprintf("%q", group), "%", "%%")
	return m.withGroup(ctx, poolID, username, group, what, func(u *memUser) error {
		if !u.groups[group] && len(u.groups) >= memMaxGroupsPerUser {
			return fmt.Errorf("%w: a user can be in at most %d groups", ErrLimitExceeded, memMaxGroupsPerUser)
		}
		u.groups[group] = true
		return nil
	})
}

// RemoveFromGroup is Directory.RemoveFromGroup; removing a non-member changes
// nothing.
func (m *Memory) RemoveFromGroup(ctx context.Context, poolID, username, group string) (Result, error) {
	what := "removing user %q from group " + strings.ReplaceAll(fmt.Sprintf("%q", group), "%", "%%")
	return m.withGroup(ctx, poolID, username, group, what, func(u *memUser) error {
		delete(u.groups, group)
		return nil
	})
}

// withGroup is withUser for a group operation: the group must exist too.
func (m *Memory) withGroup(ctx context.Context, poolID, username, group, what string, change func(u *memUser) error) (Result, error) {
	if group == "" {
		return Result{}, fmt.Errorf("%s: %w: empty group name", fmt.Sprintf(what, username), ErrInvalidParameter)
	}
	return m.withUser(ctx, poolID, username, what, func(p *memPool, u *memUser) error {
		if _, ok := p.groups[group]; !ok {
			return fmt.Errorf("%w: %q", ErrGroupNotFound, group)
		}
		return change(u)
	})
}
