package memdir

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// memUser is one user of a Memory pool.
type memUser struct {
	username          string
	attrs             map[string]string // sub, email, custom:*, ...
	status            string
	enabled           bool
	created, modified time.Time
	groups            map[string]bool
	mfa               []string
	preferredMFA      string
	resets            []time.Time         // recent password resets, for the per-user limit
	events            []cognito.AuthEvent // sign-in history, newest first
	devices           []cognito.Device
}

// SeedUser is a user in any state, for Memory.Seed.
type SeedUser struct {
	// Username is required, except in a pool with UsernameAttributes, where ""
	// makes the username the generated sub, as Cognito does.
	Username string
	// Status is a Cognito UserStatusType: "CONFIRMED" (the default),
	// "UNCONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED",
	// "EXTERNAL_PROVIDER", ...
	Status   string
	Disabled bool

	Email         string
	EmailVerified bool
	Phone         string // E.164
	PhoneVerified bool
	// Attributes are further attributes, custom ones with "custom:".
	Attributes map[string]string
	Groups     []string

	// Created is when the user was created (zero: now); for a
	// FORCE_CHANGE_PASSWORD user it dates the invitation, so an old date makes
	// an expired one. Modified defaults to Created.
	Created, Modified time.Time

	MFAMethods   []string // "SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"
	PreferredMFA string   // one of MFAMethods, or ""

	// AuthEvents are the user's sign-in history (kept only in pools with
	// ThreatProtection); Devices their remembered devices.
	AuthEvents []cognito.AuthEvent
	Devices    []cognito.Device
}

var (
	usernamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$`)
	mfaMethods      = []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}
)

// Seed adds a user in exactly the state described, bypassing invitations and
// password rules, but not the pool's rules on attributes (schema, formats,
// required attributes, alias uniqueness) or groups: ErrPoolNotFound,
// ErrUserExists, ErrAliasExists, ErrGroupNotFound, or ErrInvalidParameter.
func (m *Memory) Seed(poolID string, s SeedUser) error {
	fail := func(err error) error { return fmt.Errorf("seeding user %q: %w", s.Username, err) }
	status := s.Status
	if status == "" {
		status = string(types.UserStatusTypeConfirmed)
	}
	if !slices.Contains(types.UserStatusType("").Values(), types.UserStatusType(status)) {
		return fail(fmt.Errorf("%w: unknown status %q", cognito.ErrInvalidParameter, status))
	}
	attrs := maps.Clone(s.Attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	for name, v := range map[string]string{"email": s.Email, "phone_number": s.Phone} {
		if v == "" {
			continue
		}
		if old, ok := attrs[name]; ok && old != v {
			return fail(fmt.Errorf("%w: %s given twice with different values", cognito.ErrInvalidParameter, name))
		}
		attrs[name] = v
	}
	if attrs["email"] != "" {
		attrs["email_verified"] = fmt.Sprint(s.EmailVerified)
	}
	if attrs["phone_number"] != "" {
		attrs["phone_number_verified"] = fmt.Sprint(s.PhoneVerified)
	}
	for _, mm := range s.MFAMethods {
		if !slices.Contains(mfaMethods, mm) {
			return fail(fmt.Errorf("%w: unknown MFA method %q", cognito.ErrInvalidParameter, mm))
		}
	}
	if s.PreferredMFA != "" && !slices.Contains(s.MFAMethods, s.PreferredMFA) {
		return fail(fmt.Errorf("%w: preferred MFA %q is not among the user's methods", cognito.ErrInvalidParameter, s.PreferredMFA))
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.poolByID(poolID)
	if err != nil {
		return fail(err)
	}
	u := &memUser{username: s.Username, attrs: attrs, status: status, enabled: !s.Disabled,
		created: s.Created, modified: s.Modified, groups: map[string]bool{},
		mfa: slices.Clone(s.MFAMethods), preferredMFA: s.PreferredMFA,
		events: slices.Clone(s.AuthEvents), devices: slices.Clone(s.Devices)}
	cognito.SortAuthEvents(u.events)
	u.attrs["sub"] = newUUID()
	if u.username == "" && len(p.spec.UsernameAttributes) > 0 {
		u.username = u.attrs["sub"]
	}
	if !usernamePattern.MatchString(u.username) {
		return fail(fmt.Errorf("%w: username %q is empty, too long or contains spaces", cognito.ErrInvalidParameter, u.username))
	}
	if u.created.IsZero() {
		u.created = m.now()
	}
	if u.modified.IsZero() {
		u.modified = u.created
	}
	if u.modified.Before(u.created) {
		return fail(fmt.Errorf("%w: modified before created", cognito.ErrInvalidParameter))
	}
	for _, g := range s.Groups {
		if _, ok := p.groups[g]; !ok {
			return fail(fmt.Errorf("%w: %q", cognito.ErrGroupNotFound, g))
		}
		u.groups[g] = true
	}
	if err := p.admit(u); err != nil {
		return fail(err)
	}
	return nil
}

// admit checks a new user against the pool's rules and adds it; m.mu is held.
func (p *memPool) admit(u *memUser) error {
	if p.users[u.username] != nil {
		return fmt.Errorf("%w: username %q", cognito.ErrUserExists, u.username)
	}
	for name, v := range u.attrs {
		if name == "sub" {
			continue
		}
		if err := p.checkAttribute(name, v); err != nil {
			return err
		}
	}
	for _, name := range p.required() {
		if u.attrs[name] == "" {
			return fmt.Errorf("%w: attribute %q is required by the pool", cognito.ErrInvalidParameter, name)
		}
	}
	if err := p.checkAliases(u, u.attrs); err != nil {
		return err
	}
	p.users[u.username] = u
	return nil
}

// checkAttribute refuses what Cognito refuses in an attribute write: names
// outside the schema, malformed emails, phones and verification flags.
func (p *memPool) checkAttribute(name, v string) error {
	if _, err := cognito.CheckWritable(p.desc, name); errors.Is(err, cognito.ErrUnknownAttribute) {
		return fmt.Errorf("%w: user.%s: attribute does not exist in the schema", cognito.ErrInvalidParameter, name)
	}
	if v == "" {
		return nil
	}
	switch name {
	case "email":
		if local, domain, ok := strings.Cut(v, "@"); !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(v, " \t\r\n") {
			return fmt.Errorf("%w: invalid email address format", cognito.ErrInvalidParameter)
		}
	case "phone_number":
		if !cognito.E164Pattern.MatchString(v) {
			return fmt.Errorf("%w: invalid phone number format (E.164 expected)", cognito.ErrInvalidParameter)
		}
	case "email_verified", "phone_number_verified":
		if v != "true" && v != "false" {
			return fmt.Errorf("%w: %s must be true or false", cognito.ErrInvalidParameter, name)
		}
	}
	if len(v) > 2048 {
		return fmt.Errorf("%w: value of %s longer than 2048 bytes", cognito.ErrInvalidParameter, name)
	}
	return nil
}

// checkAliases refuses attrs (u's attributes after a write) that would give u
// a sign-in name another user already has: a username attribute's value, or a
// verified alias another user has verified too.
func (p *memPool) checkAliases(u *memUser, attrs map[string]string) error {
	for _, other := range p.users {
		if other == u {
			continue
		}
		for _, a := range p.spec.UsernameAttributes {
			if v := attrs[a]; v != "" && strings.EqualFold(other.attrs[a], v) {
				return fmt.Errorf("%w: an account with the given %s already exists", cognito.ErrAliasExists, a)
			}
		}
		for _, a := range p.spec.AliasAttributes {
			if v := attrs[a]; v != "" && strings.EqualFold(other.attrs[a], v) && verifiedIn(attrs, a) && verifiedIn(other.attrs, a) {
				return fmt.Errorf("%w: an account with the given %s already exists", cognito.ErrAliasExists, a)
			}
		}
	}
	return nil
}

// verifiedIn reports whether alias attribute a counts as verified in attrs.
func verifiedIn(attrs map[string]string, a string) bool {
	switch a {
	case "email":
		return attrs["email_verified"] == "true"
	case "phone_number":
		return attrs["phone_number_verified"] == "true"
	}
	return true // preferred_username needs no verification
}

// find resolves what an Admin* call accepts as a username: the username, a
// username attribute's value, a verified alias, or (in a pool without username
// attributes) the sub. m.mu is held.
func (p *memPool) find(name string) (*memUser, error) {
	if u := p.users[name]; u != nil {
		return u, nil
	}
	for _, u := range p.sorted() {
		for _, a := range p.spec.UsernameAttributes {
			if v := u.attrs[a]; v != "" && strings.EqualFold(v, name) {
				return u, nil
			}
		}
		for _, a := range p.spec.AliasAttributes {
			if v := u.attrs[a]; v != "" && strings.EqualFold(v, name) && verifiedIn(u.attrs, a) {
				return u, nil
			}
		}
		if len(p.spec.UsernameAttributes) == 0 && strings.EqualFold(u.attrs["sub"], name) {
			return u, nil
		}
	}
	return nil, fmt.Errorf("%w: user does not exist", cognito.ErrUserNotFound)
}

// sorted returns the pool's users by username.
func (p *memPool) sorted() []*memUser {
	users := make([]*memUser, 0, len(p.users))
	for _, u := range p.users {
		users = append(users, u)
	}
	sort.Slice(users, func(i, j int) bool { return users[i].username < users[j].username })
	return users
}

// listed is u as ListUsers returns it: no groups or MFA details.
func (u *memUser) listed() cognito.User {
	out := cognito.User{Username: u.username, Status: u.status, Enabled: u.enabled,
		Created: u.created, Modified: u.modified, Attributes: maps.Clone(u.attrs)}
	out.LiftAttributes()
	return out
}

// detailed is u as AdminGetUser returns it: with MFA details, without groups.
func (u *memUser) detailed() *cognito.User {
	out := u.listed()
	out.MFAMethods = append([]string{}, u.mfa...)
	out.PreferredMFA = u.preferredMFA
	return &out
}
