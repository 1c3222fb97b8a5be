package cognito

import (
	"fmt"
	"strings"
	"unicode"
)

// cognitoSymbols are the characters Cognito counts as symbols in a password.
const cognitoSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// CheckPassword applies a pool's password policy the way Cognito does for
// AdminSetUserPassword and AdminCreateUser's TemporaryPassword; memdir.Memory uses it
// (awsdir.Directory leaves the check to Cognito). The password is never part of the
// error.
func CheckPassword(p PasswordPolicy, pw string) error {
	var upper, lower, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case strings.ContainsRune(cognitoSymbols, r):
			symbol = true
		}
	}
	var missing []string
	if len([]rune(pw)) < p.MinimumLength {
		missing = append(missing, fmt.Sprintf("at least %d characters", p.MinimumLength))
	}
	for _, c := range []struct {
		required, present bool
		what              string
	}{
		{p.RequireUppercase, upper, "an uppercase letter"},
		{p.RequireLowercase, lower, "a lowercase letter"},
		{p.RequireNumbers, digit, "a number"},
		{p.RequireSymbols, symbol, "a symbol"},
	} {
		if c.required && !c.present {
			missing = append(missing, c.what)
		}
	}
	if len([]rune(pw)) > 256 {
		missing = append(missing, "at most 256 characters")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: the password needs %s", ErrInvalidPassword, strings.Join(missing, ", "))
	}
	return nil
}

// PasswordPolicy is the pool's password policy.
type PasswordPolicy struct {
	MinimumLength                                                      int // 6..99
	RequireUppercase, RequireLowercase, RequireNumbers, RequireSymbols bool
}

// DefaultPasswordPolicy is Cognito's default policy.
func DefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
}
