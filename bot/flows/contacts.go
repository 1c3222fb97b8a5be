package flows

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// What users type as contacts and attribute names is checked here, before
// anything is written: create, edit and import share these checks.

var (
	emailPattern = regexp.MustCompile(`^[^\s@<>"'\\]{1,64}@[^\s@<>"'\\]+\.[^\s@<>"'\\]{2,}$`)
	phonePattern = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	// attrNamePattern is a standard or custom attribute name as typed.
	AttrNamePattern = regexp.MustCompile(`^(custom:)?[A-Za-z0-9_-]{1,32}$`)
)

// ContactProblem says what is wrong with an email or phone value, or "".
func ContactProblem(name, v string) string {
	switch {
	case v == "":
		return ""
	case name == "email" && !emailPattern.MatchString(v):
		return "That email address doesn't look valid."
	case name == "email" && dnsProblem(v[strings.LastIndex(v, "@")+1:]) != "":
		return "That email address's domain " + dnsProblem(v[strings.LastIndex(v, "@")+1:]) + "."
	case name == "phone_number" && !phonePattern.MatchString(v):
		return "The phone number must be in E.164 form, such as +15555550100."
	case len([]rune(v)) > views.MaxAttrValue:
		return fmt.Sprintf("Attribute values can have at most %d characters.", views.MaxAttrValue)
	}
	return ""
}

// dnsProblem says how domain breaks DNS's limits, or "": at most 253
// characters, labels of 1 to 63 characters that neither start nor end with a
// hyphen, and at least two of them.
func dnsProblem(domain string) string {
	labels := strings.Split(domain, ".")
	switch {
	case len(domain) > 253:
		return "is longer than the 253 characters DNS allows"
	case len(labels) < 2:
		return "has no top-level domain"
	}
	for _, l := range labels {
		switch {
		case l == "":
			return "has an empty label (two dots, or a dot at an end)"
		case len(l) > 63:
			return "has a label longer than the 63 characters DNS allows"
		case strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-"):
			return "has a label that starts or ends with a hyphen"
		}
	}
	return ""
}
