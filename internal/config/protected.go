package config

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// validateProtectedGroups checks the names: Cognito group names are 1-128
// characters without leading or trailing spaces; a name twice is a typo.
func (c *Config) validateProtectedGroups(p *Problems) {
	for i, g := range c.ProtectedGroups {
		key := fmt.Sprintf("protected_groups[%d]", i)
		switch {
		case strings.TrimSpace(g) == "":
			p.add(key, "must be a Cognito group name, not empty")
		case strings.TrimSpace(g) != g:
			p.add(key, "%q has leading or trailing spaces; Cognito group names are matched exactly", g)
		case utf8.RuneCountInString(g) > 128:
			p.add(key, "is longer than 128 characters, the most a Cognito group name has")
		case slices.Index(c.ProtectedGroups, g) < i:
			p.add(key, "%q is listed twice", g)
		}
	}
}
