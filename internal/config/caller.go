package config

import (
	"fmt"

	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// CallerVerification makes the desk check who is calling before actions that
// hand an account to whoever asked (a password reset, an MFA reset): the
// confirm prompt shows masked facts an honest caller knows and a required
// "The caller confirmed these" checkbox.
type CallerVerification struct {
	// Actions are the single-user actions that need it, e.g.
	// [reset-password, reset-mfa].
	Actions []Action `yaml:"actions,omitempty"`
}

func (c *Config) validateCallerVerification(p *Problems) {
	for i, a := range c.CallerVerification.Actions {
		key := fmt.Sprintf("caller_verification.actions[%d]", i)
		spec, ok := actions.Get(a)
		switch {
		case !ok:
			p.add(key, "unknown action %q (known: %s)", a, knownActionList())
		case spec.Op == nil || !spec.Destructive:
			p.add(key, "%s is not confirmed one user at a time, so there is no prompt to verify the caller on "+
				"(destructive single-user actions: %s)", a, destructiveList())
		}
	}
}

func destructiveList() string {
	var out []string
	for _, s := range actions.All() {
		if s.Destructive {
			out = append(out, string(s.Action))
		}
	}
	return fmt.Sprint(out)
}
