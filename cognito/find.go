package cognito

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxPageSize is the largest Limit ListUsers and its kin accept.
const MaxPageSize = 60

// maxFilterLen is Cognito's limit on a ListUsers filter (UserFilterType).
const maxFilterLen = 256

var (
	subPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// E164Pattern matches a phone number in E.164 form, as a query and as the
	// in-memory twin's check of a phone_number write.
	E164Pattern  = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	phoneLayout  = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "")
	defaultFound = 10
)

// ClassifyQuery decides what a desk agent typed, without calling Cognito: an
// email if it contains "@" (trimmed and lowercased), a phone number if it starts
// with "+" (spaces, dashes, dots and parentheses removed; must then be E.164), a
// sub if it is a UUID (lowercased), else a username (trimmed, case kept since
// Cognito usernames may be case-sensitive). attribute is the ListUsers filter
// attribute: "email", "phone_number", "sub" or "username".
//
// Values that could change the meaning of a filter are rejected with
// ErrInvalidQuery rather than escaped: the Cognito docs only describe escaping
// `"` as `\"`, leave backslashes and control characters undocumented, and moto
// does not unescape at all, so no escaping scheme is known to be safe on every
// backend. No email, E.164 number or UUID legitimately contains them; a username
// that does can still be opened directly with GetUser, which takes no filter.
func ClassifyQuery(q string) (attribute, value string, err error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return "", "", fmt.Errorf("%w: empty query", ErrInvalidQuery)
	}
	if err := checkFilterValue(q); err != nil {
		return "", "", err
	}
	switch {
	case strings.Contains(q, "@"):
		return "email", strings.ToLower(q), nil
	case strings.HasPrefix(q, "+"):
		p := phoneLayout.Replace(q)
		if !E164Pattern.MatchString(p) {
			return "", "", fmt.Errorf("%w: %q is not a phone number in E.164 form (+ country code, digits)", ErrInvalidQuery, q)
		}
		return "phone_number", p, nil
	case subPattern.MatchString(q):
		return "sub", strings.ToLower(q), nil
	default:
		return "username", q, nil
	}
}

// checkFilterValue rejects values that could break out of, or be read
// differently inside, a quoted ListUsers filter value (see ClassifyQuery).
func checkFilterValue(v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: not valid UTF-8", ErrInvalidQuery)
	}
	for _, r := range v {
		switch {
		case r == '"' || r == '\\':
			return fmt.Errorf("%w: %q contains a quote or backslash", ErrInvalidQuery, v)
		case r != ' ' && !unicode.IsGraphic(r):
			return fmt.Errorf("%w: %q contains a control or invisible character", ErrInvalidQuery, v)
		}
	}
	return nil
}

// BuildFilter renders `attribute op "value"` after checking value, e.g.
// `email = "a@example.com"`; op is "=" or "^=".
func BuildFilter(attribute, op, value string) (string, error) {
	if err := checkFilterValue(value); err != nil {
		return "", err
	}
	f := attribute + " " + op + ` "` + value + `"`
	if len(f) > maxFilterLen {
		return "", fmt.Errorf("%w: value too long for a filter (%d bytes max)", ErrInvalidQuery, maxFilterLen)
	}
	return f, nil
}

// FindValues lists the filter values to try for a classified query: the
// normalised value, then for an email the value as typed if it differs.
func FindValues(attr, value, query string) []string {
	values := []string{value}
	if typed := strings.TrimSpace(query); attr == "email" && typed != value {
		values = append(values, typed)
	}
	return values
}

// FindArgs checks FindUsers' arguments the same way for both directories and
// classifies the query; max 0 means defaultFound.
func FindArgs(query string, max int) (attr, value string, n int, err error) {
	if max < 0 {
		return "", "", 0, fmt.Errorf("finding users: %w: max %d is negative", ErrInvalidParameter, max)
	}
	if max == 0 {
		max = defaultFound
	}
	attr, value, err = ClassifyQuery(query)
	if err != nil {
		return "", "", 0, fmt.Errorf("finding users: %w", err)
	}
	return attr, value, max, nil
}
