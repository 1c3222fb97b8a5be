package usercmd

import (
	"maps"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// CreateProblem checks what needs no Cognito call: the username and the
// contacts' formats.
func CreateProblem(s NewUserSpec) string {
	switch {
	case s.Username == "" || strings.ContainsFunc(s.Username, func(r rune) bool { return r <= ' ' }) || len([]rune(s.Username)) > 128:
		return "The username must be 1 to 128 characters without spaces."
	}
	for _, c := range []string{"email", "phone_number"} {
		if p := flows.ContactProblem(c, s.Attrs[c]); p != "" {
			return p
		}
	}
	return ""
}

// CheckAttributes refuses attributes the pool lacks or Cognito manages, and
// (for an edit) immutable ones; a creation must give the required ones.
func CheckAttributes(schema cognito.PoolSchema, attrs map[string]string, creating bool) error {
	names := slices.Sorted(maps.Keys(attrs))
	for _, name := range names {
		a, ok := schema.Attribute(name)
		switch {
		case !ok:
			return desk.Refusedf("The pool has no attribute %q.", name)
		case name == "sub" || strings.HasSuffix(name, "_verified"):
			return desk.Refusedf("Attribute %q is managed by Cognito; use --verified to mark the email or phone verified.", name)
		case !a.Mutable && !creating:
			return desk.Refusedf("Attribute %q cannot be changed after the user is created.", name)
		case a.Required && attrs[name] == "":
			return desk.Refusedf("Attribute %q is required by the pool and cannot be empty.", name)
		}
	}
	if creating {
		for _, a := range schema.Attributes {
			if a.Required && attrs[a.Name] == "" {
				return desk.Refusedf("The pool requires attribute %q; give it with --attr %s=VALUE.", a.Name, a.Name)
			}
		}
	}
	return nil
}
