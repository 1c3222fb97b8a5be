package cognito

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ListFilter selects users for ListUsers. All set fields must match. Cognito
// filters on one attribute per request, so ListUsers sends the most selective
// criterion to Cognito and checks the others itself: Group (which takes no filter
// at all), else Attribute/Prefix, else Status, else Enabled.
type ListFilter struct {
	// Status is a cognito:user_status value, e.g. "CONFIRMED"; "" means any.
	Status string
	// Enabled restricts to enabled (true) or disabled (false) users; nil means any.
	Enabled *bool
	// Attribute and Prefix select users whose Attribute starts with Prefix
	// (`Attribute ^= "Prefix"`). Attribute must be searchable: username, email,
	// phone_number, name, given_name, family_name, preferred_username or sub;
	// custom:* attributes are not (ErrInvalidParameter). Set both or neither.
	Attribute string
	Prefix    string
	// Group lists the members of this group (ListUsersInGroup).
	Group string
}

// searchable are the attributes a ListUsers filter may name (doc §1).
var searchable = map[string]bool{
	"username": true, "email": true, "phone_number": true, "name": true, "given_name": true,
	"family_name": true, "preferred_username": true, "sub": true,
}

var statusPattern = regexp.MustCompile(`^[A-Za-z_]{1,40}$`)

// ListPlan is a ListFilter split into what Cognito filters and what we check.
type ListPlan struct {
	group  string // ListUsersInGroup when set
	filter string // ListUsers Filter, "" for none
	match  func(User) bool
	key    string // canonical description of the listing, for page tokens
}

// planList validates f and decides which criterion Cognito applies.
func planList(f ListFilter) (ListPlan, error) {
	status := strings.ToUpper(f.Status) // moto compares case-sensitively, Cognito does not
	if f.Status != "" && !statusPattern.MatchString(f.Status) {
		return ListPlan{}, fmt.Errorf("%w: %q is not a user status", ErrInvalidParameter, f.Status)
	}
	if (f.Attribute == "") != (f.Prefix == "") {
		return ListPlan{}, fmt.Errorf("%w: attribute and prefix go together", ErrInvalidParameter)
	}
	if f.Attribute != "" && !searchable[f.Attribute] {
		if strings.HasPrefix(f.Attribute, "custom:") {
			return ListPlan{}, fmt.Errorf("%w: custom attribute %q is not searchable", ErrInvalidParameter, f.Attribute)
		}
		return ListPlan{}, fmt.Errorf("%w: attribute %q is not searchable", ErrInvalidParameter, f.Attribute)
	}
	var checks []func(User) bool
	var p ListPlan
	var err error
	switch {
	case f.Group != "":
		p.group = f.Group
	case f.Attribute != "":
		p.filter, err = BuildFilter(f.Attribute, "^=", f.Prefix)
	case status != "":
		p.filter, err = BuildFilter("cognito:user_status", "=", status)
	case f.Enabled != nil:
		p.filter, err = BuildFilter("status", "=", map[bool]string{true: "Enabled", false: "Disabled"}[*f.Enabled])
	}
	if err != nil {
		return ListPlan{}, err
	}
	// Criteria Cognito did not apply are checked here; the one it applied is not
	// re-checked, as its case rules (usernames, emails) are the pool's to decide.
	if f.Attribute != "" && p.group != "" {
		if err := checkFilterValue(f.Prefix); err != nil {
			return ListPlan{}, err
		}
		attr, prefix := f.Attribute, f.Prefix
		checks = append(checks, func(u User) bool { return strings.HasPrefix(AttributeValue(u, attr), prefix) })
	}
	if status != "" && (p.group != "" || f.Attribute != "") {
		checks = append(checks, func(u User) bool { return strings.EqualFold(u.Status, status) })
	}
	if f.Enabled != nil && (p.group != "" || f.Attribute != "" || status != "") {
		want := *f.Enabled
		checks = append(checks, func(u User) bool { return u.Enabled == want })
	}
	p.match = func(u User) bool {
		for _, c := range checks {
			if !c(u) {
				return false
			}
		}
		return true
	}
	enabled := "any"
	if f.Enabled != nil {
		enabled = strconv.FormatBool(*f.Enabled)
	}
	p.key = strings.Join([]string{f.Group, f.Attribute, f.Prefix, status, enabled}, "\x00")
	return p, nil
}

// Fingerprint identifies one listing (pool + filter) inside its page tokens, so
// a token cannot silently resume a different listing.
func (p ListPlan) Fingerprint(poolID string) string {
	sum := sha256.Sum256([]byte(poolID + "\x00" + p.key))
	return hex.EncodeToString(sum[:6])
}

// AttributeValue returns the value of a searchable attribute of u.
func AttributeValue(u User, attr string) string {
	if attr == "username" {
		return u.Username
	}
	return u.Attributes[attr]
}

// Group is the group a listing reads with ListUsersInGroup, "" for ListUsers.
func (p ListPlan) Group() string { return p.group }

// Filter is the ListUsers filter Cognito applies, "" for none.
func (p ListPlan) Filter() string { return p.filter }

// Match reports whether u passes the criteria Cognito did not apply itself.
func (p ListPlan) Match(u User) bool { return p.match(u) }
