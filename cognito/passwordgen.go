package cognito

import (
	"crypto/rand"
	"fmt"
	"math/big"
)

// Character classes a generated password draws from. Symbols avoid quotes,
// backslash and space so the password survives being copied from Slack.
const (
	genUpper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	genLower   = "abcdefghijkmnopqrstuvwxyz"
	genDigits  = "23456789"
	genSymbols = "!#%*+-=?@^_~"
)

// generatedLength is the length of a generated password when the pool's
// minimum is shorter.
const generatedLength = 16

// GeneratePassword returns a random temporary password (crypto/rand) that
// meets policy: at least max(16, MinimumLength) characters with one of every
// character class, whether the policy requires it or not. It is for a desk
// creating a user without an invitation; callers must show it only to the
// requester and never log or store it.
func GeneratePassword(policy PasswordPolicy) (string, error) {
	n := max(generatedLength, policy.MinimumLength)
	all := genUpper + genLower + genDigits + genSymbols
	out := make([]byte, 0, n)
	for _, class := range []string{genUpper, genLower, genDigits, genSymbols} {
		c, err := pick(class)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	for len(out) < n {
		c, err := pick(all)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	// Shuffle (Fisher–Yates) so the classes are not always in the same places.
	for i := len(out) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", fmt.Errorf("generating a password: %w", err)
		}
		out[i], out[j.Int64()] = out[j.Int64()], out[i]
	}
	pw := string(out)
	if err := CheckPassword(policy, pw); err != nil {
		return "", fmt.Errorf("generating a password: %w", err)
	}
	return pw, nil
}

func pick(from string) (byte, error) {
	i, err := rand.Int(rand.Reader, big.NewInt(int64(len(from))))
	if err != nil {
		return 0, fmt.Errorf("generating a password: %w", err)
	}
	return from[i.Int64()], nil
}
