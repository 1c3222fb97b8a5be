package memdir

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// ConfirmSignUp is awsdir.Directory.ConfirmSignUp: UNCONFIRMED becomes CONFIRMED;
// any other status gives ErrUnsupportedState.
func (m *Memory) ConfirmSignUp(ctx context.Context, poolID, username string) (cognito.Result, error) {
	return m.withUser(ctx, poolID, username, "confirming sign-up of %q", func(_ *memPool, u *memUser) error {
		if u.status != string(types.UserStatusTypeUnconfirmed) {
			return fmt.Errorf("%w: status is %s, not UNCONFIRMED", cognito.ErrUnsupportedState, u.status)
		}
		u.status = string(types.UserStatusTypeConfirmed)
		u.modified = m.now()
		return nil
	})
}

// MarkVerified is awsdir.Directory.MarkVerified. An already verified attribute is
// left alone and gives an empty Result, as Directory makes no call then.
func (m *Memory) MarkVerified(ctx context.Context, poolID, username, attribute string) (cognito.Result, error) {
	flag, ok := cognito.VerifiedFlags[attribute]
	if !ok {
		return cognito.Result{}, fmt.Errorf("marking %s of %q verified: %w: %q is not email or phone_number", attribute, username, cognito.ErrInvalidParameter, attribute)
	}
	already := false
	res, err := m.withUser(ctx, poolID, username, "marking "+attribute+" of %q verified", func(p *memPool, u *memUser) error {
		switch {
		case u.attrs[attribute] == "":
			return fmt.Errorf("%w: the user has no %s", cognito.ErrInvalidParameter, attribute)
		case u.attrs[flag] == "true":
			already = true
			return nil
		}
		after := map[string]string{}
		for k, v := range u.attrs {
			after[k] = v
		}
		after[flag] = "true"
		if err := p.checkAliases(u, after); err != nil {
			return err
		}
		u.attrs = after
		u.modified = m.now()
		return nil
	})
	if already {
		return cognito.Result{}, err
	}
	return res, err
}

// ResetMFA is awsdir.Directory.ResetMFA: SMS and TOTP are no longer set up, and the
// preferred method is cleared when it was one of them; with neither set up
// nothing changes and the Result is empty.
func (m *Memory) ResetMFA(ctx context.Context, poolID, username string) (cognito.Result, error) {
	off := []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}
	none := false
	res, err := m.withUser(ctx, poolID, username, "resetting MFA of %q", func(_ *memPool, u *memUser) error {
		if !slices.ContainsFunc(u.mfa, func(s string) bool { return slices.Contains(off, s) }) && !slices.Contains(off, u.preferredMFA) {
			none = true
			return nil
		}
		u.mfa = slices.DeleteFunc(u.mfa, func(s string) bool { return slices.Contains(off, s) })
		if slices.Contains(off, u.preferredMFA) {
			u.preferredMFA = ""
		}
		return nil
	})
	if none {
		return cognito.Result{}, err
	}
	return res, err
}

// AuthEvents is awsdir.Directory.AuthEvents over the seeded history; a pool whose
// ThreatProtection is OFF gives ErrAddOnNotEnabled.
func (m *Memory) AuthEvents(ctx context.Context, poolID, username string, max int) ([]cognito.AuthEvent, error) {
	if max < 0 || max > cognito.MaxAuthEvents {
		return nil, fmt.Errorf("listing sign-in events of %q: %w: max %d not in 0..%d", username, cognito.ErrInvalidParameter, max, cognito.MaxAuthEvents)
	}
	if max == 0 {
		max = cognito.MaxAuthEvents
	}
	var out []cognito.AuthEvent
	_, err := m.withUser(ctx, poolID, username, "listing sign-in events of %q", func(p *memPool, u *memUser) error {
		if p.spec.ThreatProtection == "OFF" {
			return fmt.Errorf("%w: threat protection is OFF in this pool", cognito.ErrAddOnNotEnabled)
		}
		out = slices.Clone(u.events[:min(max, len(u.events))])
		return nil
	})
	if err != nil {
		return nil, err
	}
	return append([]cognito.AuthEvent{}, out...), nil
}

// ListDevices is awsdir.Directory.ListDevices over the seeded devices.
func (m *Memory) ListDevices(ctx context.Context, poolID, username string) ([]cognito.Device, error) {
	var out []cognito.Device
	_, err := m.withUser(ctx, poolID, username, "listing devices of %q", func(_ *memPool, u *memUser) error {
		out = append([]cognito.Device{}, u.devices...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	cognito.SortDevices(out)
	return out, nil
}

// ForgetDevice is awsdir.Directory.ForgetDevice; an unknown key gives cognito.ErrDeviceNotFound.
func (m *Memory) ForgetDevice(ctx context.Context, poolID, username, deviceKey string) (cognito.Result, error) {
	return m.withUser(ctx, poolID, username, "forgetting device of %q", func(_ *memPool, u *memUser) error {
		i := slices.IndexFunc(u.devices, func(d cognito.Device) bool { return d.Key == deviceKey })
		if deviceKey == "" || i < 0 {
			return fmt.Errorf("%w: %q", cognito.ErrDeviceNotFound, deviceKey)
		}
		u.devices = slices.Delete(u.devices, i, i+1)
		return nil
	})
}

// TokenLifetime is awsdir.Directory.TokenLifetime over the pool's AppClients.
func (m *Memory) TokenLifetime(ctx context.Context, poolID string) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.pool(ctx, poolID)
	if err != nil {
		return 0, fmt.Errorf("reading token lifetimes of pool %s: %w", poolID, err)
	}
	var longest time.Duration
	for _, c := range p.spec.AppClients {
		longest = max(longest, c.AccessTokenValidity, c.IDTokenValidity)
	}
	return longest, nil
}
