package memdir

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// CreateUser is awsdir.Directory.CreateUser: the same input checks, then what Cognito
// checks (existing username, schema, required attributes, the password policy
// for a temporary password, aliases). No message is sent, so ErrCodeDelivery
// never happens.
func (m *Memory) CreateUser(ctx context.Context, poolID string, in cognito.NewUser) (*cognito.User, cognito.Result, error) {
	fail := func(err error) (*cognito.User, cognito.Result, error) {
		return nil, cognito.Result{}, fmt.Errorf("creating user %q: %w", in.Username, err)
	}
	if in.Username == "" {
		return fail(fmt.Errorf("%w: empty username", cognito.ErrInvalidParameter))
	}
	if _, err := cognito.PoolRegion(poolID); err != nil {
		return fail(err)
	}
	if in.Invitation == cognito.InviteResend {
		res, err := m.ResendInvitation(ctx, poolID, in.Username)
		if err != nil {
			return nil, cognito.Result{}, err
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
	attrs, err := cognito.CreateAttributes(in)
	if err != nil {
		return fail(err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return fail(err)
	}
	if _, ok := attrs["sub"]; ok {
		return fail(fmt.Errorf("%w: sub cannot be set", cognito.ErrInvalidParameter))
	}
	u := &memUser{username: in.Username, attrs: attrs, status: string(types.UserStatusTypeForceChangePassword),
		enabled: true, created: m.now(), groups: map[string]bool{}}
	u.modified = u.created
	u.attrs["sub"] = newUUID()
	if err := p.signInName(u, in.Username); err != nil {
		return fail(err)
	}
	if !usernamePattern.MatchString(u.username) {
		return fail(fmt.Errorf("%w: username %q is too long or contains spaces", cognito.ErrInvalidParameter, u.username))
	}
	if in.TemporaryPassword != "" {
		if err := cognito.CheckPassword(p.spec.PasswordPolicy, in.TemporaryPassword); err != nil {
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
		return fmt.Errorf("%w: username should be one of %v", cognito.ErrInvalidParameter, p.spec.UsernameAttributes)
	}
	if v, ok := u.attrs[attr]; ok && !strings.EqualFold(v, given) {
		return fmt.Errorf("%w: %s differs from the username", cognito.ErrInvalidParameter, attr)
	}
	for _, other := range p.users {
		if strings.EqualFold(other.attrs[attr], given) {
			return fmt.Errorf("%w: an account with the given %s already exists", cognito.ErrUserExists, attr)
		}
	}
	u.attrs[attr] = given
	u.username = u.attrs["sub"]
	return nil
}

// ResendInvitation is awsdir.Directory.ResendInvitation: only FORCE_CHANGE_PASSWORD
// users with an email or phone; it renews the invitation (Modified is now).
func (m *Memory) ResendInvitation(ctx context.Context, poolID, username string) (cognito.Result, error) {
	return m.withUser(ctx, poolID, username, "resending invitation to %q", func(_ *memPool, u *memUser) error {
		if u.status != string(types.UserStatusTypeForceChangePassword) {
			return fmt.Errorf("%w: status is %s, the user has already set a password", cognito.ErrUnsupportedState, u.status)
		}
		if u.attrs["email"] == "" && u.attrs["phone_number"] == "" {
			return fmt.Errorf("%w: the user has neither email nor phone", cognito.ErrInvalidParameter)
		}
		u.modified = m.now()
		return nil
	})
}
