package memdir

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// PoolSpec describes a user pool for Memory.AddPool. Zero fields take Cognito's
// defaults.
type PoolSpec struct {
	ID   string // "<region>_<id>", e.g. "us-east-1_Sandbox"; required
	Name string // "" means the ID
	// UsernameAttributes ("email", "phone_number") make users sign in with those
	// instead of a username: CreateUser then takes the email or phone as
	// Username and generates the username. Exclusive with AliasAttributes.
	UsernameAttributes []string
	// AliasAttributes ("email", "phone_number", "preferred_username") may be
	// used instead of the username once verified.
	AliasAttributes []string
	MFA             string // "OFF" (default), "ON" or "OPTIONAL"
	// Attributes are schema entries: custom attributes ("custom:team") and
	// standard ones ("email") that should be required or immutable.
	Attributes []AttributeSpec
	Groups     []GroupSpec
	// PasswordPolicy applies to temporary and permanent passwords; the zero
	// value means Cognito's default (8 characters, all four character classes).
	PasswordPolicy cognito.PasswordPolicy
	// AccountRecovery lists the recovery mechanisms by priority:
	// "verified_email", "verified_phone_number", or "admin_only" alone, which
	// makes ResetPassword impossible. nil means both verified mechanisms.
	AccountRecovery []string
	// TemporaryPasswordValidityDays is how long invitations work; 0 means 7.
	TemporaryPasswordValidityDays int
	AppClients                    []AppClientSpec
	// ThreatProtection is the add-on mode, "OFF" (default), "AUDIT" or
	// "ENFORCED": AuthEvents needs one of the latter two.
	ThreatProtection string
}

// AttributeSpec is one schema attribute.
type AttributeSpec struct {
	Name      string // "custom:team", or a standard name such as "email"
	Required  bool   // must be present on every user; cannot be deleted
	Immutable bool   // may only be set at creation
}

// GroupSpec is one group of the pool.
type GroupSpec struct {
	Name        string
	Description string
	Precedence  int // lower wins when a user's groups map to IAM roles
}

// AppClientSpec is an app client, which decides how long the tokens it issues
// stay valid after a SignOut or DisableUser (JWTs verified locally live on).
type AppClientSpec struct {
	Name                string
	AccessTokenValidity time.Duration // 5m..24h; 0 means 1h
	IDTokenValidity     time.Duration // 5m..24h; 0 means 1h
}

var customAttrPattern = regexp.MustCompile(`^custom:[A-Za-z0-9_-]{1,20}$`)

// normalisePoolSpec validates spec and fills in Cognito's defaults.
func normalisePoolSpec(s *PoolSpec) error {
	if _, err := cognito.PoolRegion(s.ID); err != nil {
		return err
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{cognito.ErrInvalidParameter}, a...)...)
	}
	if s.Name == "" {
		s.Name = s.ID
	}
	if err := checkSubset("username attribute", s.UsernameAttributes, "email", "phone_number"); err != nil {
		return err
	}
	if err := checkSubset("alias attribute", s.AliasAttributes, "email", "phone_number", "preferred_username"); err != nil {
		return err
	}
	if len(s.UsernameAttributes) > 0 && len(s.AliasAttributes) > 0 {
		return bad("a pool has username attributes or alias attributes, not both")
	}
	switch s.MFA {
	case "":
		s.MFA = "OFF"
	case "OFF", "ON", "OPTIONAL":
	default:
		return bad("MFA %q is not OFF, ON or OPTIONAL", s.MFA)
	}
	seen := map[string]bool{}
	for _, a := range s.Attributes {
		switch {
		case seen[a.Name]:
			return bad("attribute %q listed twice", a.Name)
		case a.Name == "sub" || a.Name == "email_verified" || a.Name == "phone_number_verified":
			return bad("attribute %q is managed by Cognito", a.Name)
		case !cognito.StandardAttributes[a.Name] && !customAttrPattern.MatchString(a.Name):
			return bad("attribute %q is neither standard nor custom:<1-20 letters, digits, _ or ->", a.Name)
		}
		seen[a.Name] = true
	}
	groups := map[string]bool{}
	for _, g := range s.Groups {
		if g.Name == "" || groups[g.Name] || g.Precedence < 0 {
			return bad("group %q: empty, duplicate or negative precedence", g.Name)
		}
		groups[g.Name] = true
	}
	if s.PasswordPolicy == (cognito.PasswordPolicy{}) {
		s.PasswordPolicy = cognito.DefaultPasswordPolicy()
	}
	if l := s.PasswordPolicy.MinimumLength; l < 6 || l > 99 {
		return bad("password minimum length %d not in 6..99", l)
	}
	if s.AccountRecovery == nil {
		s.AccountRecovery = []string{"verified_email", "verified_phone_number"}
	}
	if err := checkSubset("recovery mechanism", s.AccountRecovery, "verified_email", "verified_phone_number", "admin_only"); err != nil {
		return err
	}
	if slices.Contains(s.AccountRecovery, "admin_only") && len(s.AccountRecovery) > 1 {
		return bad("admin_only recovery excludes the other mechanisms")
	}
	switch s.ThreatProtection {
	case "":
		s.ThreatProtection = "OFF"
	case "OFF", "AUDIT", "ENFORCED":
	default:
		return bad("threat protection %q is not OFF, AUDIT or ENFORCED", s.ThreatProtection)
	}
	if s.TemporaryPasswordValidityDays == 0 {
		s.TemporaryPasswordValidityDays = cognito.DefaultTemporaryPasswordDays
	}
	if d := s.TemporaryPasswordValidityDays; d < 0 || d > 365 {
		return bad("temporary password validity %d days not in 0..365", d)
	}
	for i := range s.AppClients {
		c := &s.AppClients[i]
		if c.Name == "" {
			return bad("app client without a name")
		}
		for _, v := range []*time.Duration{&c.AccessTokenValidity, &c.IDTokenValidity} {
			if *v == 0 {
				*v = time.Hour
			}
			if *v < 5*time.Minute || *v > 24*time.Hour {
				return bad("app client %q: token validity %v not in 5m..24h", c.Name, *v)
			}
		}
	}
	return nil
}

func checkSubset(what string, got []string, allowed ...string) error {
	for i, v := range got {
		if !slices.Contains(allowed, v) || slices.Contains(got[:i], v) {
			return fmt.Errorf("%w: %s %q not one of %v, or repeated", cognito.ErrInvalidParameter, what, v, allowed)
		}
	}
	return nil
}

// describeSpec renders a normalised spec as DescribeUserPool would.
func describeSpec(s PoolSpec) *types.UserPoolType {
	p := &types.UserPoolType{
		Id:               aws.String(s.ID),
		Name:             aws.String(s.Name),
		MfaConfiguration: types.UserPoolMfaType(s.MFA),
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength:                 aws.Int32(int32(s.PasswordPolicy.MinimumLength)),
			RequireUppercase:              s.PasswordPolicy.RequireUppercase,
			RequireLowercase:              s.PasswordPolicy.RequireLowercase,
			RequireNumbers:                s.PasswordPolicy.RequireNumbers,
			RequireSymbols:                s.PasswordPolicy.RequireSymbols,
			TemporaryPasswordValidityDays: int32(s.TemporaryPasswordValidityDays),
		}},
		AccountRecoverySetting: &types.AccountRecoverySettingType{},
	}
	for _, a := range s.UsernameAttributes {
		p.UsernameAttributes = append(p.UsernameAttributes, types.UsernameAttributeType(a))
	}
	for _, a := range s.AliasAttributes {
		p.AliasAttributes = append(p.AliasAttributes, types.AliasAttributeType(a))
	}
	for i, r := range s.AccountRecovery {
		p.AccountRecoverySetting.RecoveryMechanisms = append(p.AccountRecoverySetting.RecoveryMechanisms,
			types.RecoveryOptionType{Name: types.RecoveryOptionNameType(r), Priority: aws.Int32(int32(i + 1))})
	}
	specs := map[string]AttributeSpec{}
	for _, a := range s.Attributes {
		specs[a.Name] = a
	}
	names := make([]string, 0, len(cognito.StandardAttributes)+len(s.Attributes))
	for n := range cognito.StandardAttributes {
		names = append(names, n)
	}
	for _, a := range s.Attributes {
		if !cognito.StandardAttributes[a.Name] {
			names = append(names, a.Name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		a := specs[n]
		p.SchemaAttributes = append(p.SchemaAttributes, types.SchemaAttributeType{
			Name:              aws.String(n),
			AttributeDataType: types.AttributeDataTypeString,
			Mutable:           aws.Bool(!a.Immutable && n != "sub"),
			Required:          aws.Bool(a.Required),
		})
	}
	return p
}
