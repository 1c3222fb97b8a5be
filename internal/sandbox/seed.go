package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Person is one user the sandbox seeds into its user directory. It describes
// the user as Cognito would hold it, independent of how a directory stores it.
type Person struct {
	Username      string
	Email         string
	EmailVerified bool
	Phone         string
	PhoneVerified bool
	// Status is Cognito's user status: CONFIRMED, UNCONFIRMED,
	// FORCE_CHANGE_PASSWORD, RESET_REQUIRED or EXTERNAL_PROVIDER.
	Status  string
	Enabled bool
	Created time.Time
	// Modified is the last change; for FORCE_CHANGE_PASSWORD users it tells a
	// fresh invitation (under 7 days) from an expired one.
	Modified time.Time
	Groups   []string
	// Attributes holds the other attributes: names, locale, custom:*.
	Attributes map[string]string
	// Note says why this user is in the seed, for the page's "try these" list.
	Note string
}

// Cognito user statuses.
const (
	StatusConfirmed      = "CONFIRMED"
	StatusUnconfirmed    = "UNCONFIRMED"
	StatusForceChange    = "FORCE_CHANGE_PASSWORD"
	StatusResetRequired  = "RESET_REQUIRED"
	StatusExternal       = "EXTERNAL_PROVIDER"
	invitationLifetime   = 7 * 24 * time.Hour
	seededGeneratedUsers = 190
)

// Groups are the pool's groups.
var Groups = []string{"admins", "support", "beta-testers", "billing", "readonly"}

// SeedPeople returns the sandbox's users: a named cast covering every state a
// visitor should try, then generated users (about 200 in all) spread over
// every status, with and without groups, phones and custom attributes. The
// same now always gives the same people.
func SeedPeople(now time.Time) []Person {
	now = now.UTC().Truncate(time.Second)
	day := 24 * time.Hour
	cast := []Person{
		{Username: "alice", Email: "alice@example.com", EmailVerified: true, Phone: "+12025550100", PhoneVerified: true,
			Status: StatusConfirmed, Enabled: true, Created: now.Add(-400 * day), Modified: now.Add(-3 * day),
			Groups: []string{"beta-testers", "support"}, Attributes: map[string]string{"given_name": "Alice", "family_name": "Liddell", "locale": "en-GB", "custom:tenant": "acme & co", "custom:tier": "gold"},
			Note: "confirmed, enabled, in two groups: try Disable"},
		{Username: "bob", Email: "bob@example.com", EmailVerified: true, Status: StatusConfirmed, Enabled: false,
			Created: now.Add(-300 * day), Modified: now.Add(-10 * day), Groups: []string{"billing"},
			Attributes: map[string]string{"given_name": "Bob", "custom:tenant": "globex"}, Note: "disabled: try Enable"},
		{Username: "carol", Email: "carol@example.com", EmailVerified: false, Status: StatusUnconfirmed, Enabled: true,
			Created: now.Add(-2 * day), Modified: now.Add(-2 * day), Note: "signed up, never confirmed"},
		{Username: "dave", Email: "dave@example.com", EmailVerified: true, Status: StatusForceChange, Enabled: true,
			Created: now.Add(-1 * day), Modified: now.Add(-1 * day), Note: "invited yesterday: invitation still valid"},
		{Username: "erin", Email: "erin@example.com", EmailVerified: true, Status: StatusForceChange, Enabled: true,
			Created: now.Add(-30 * day), Modified: now.Add(-30 * day), Note: "invited a month ago: invitation expired"},
		{Username: "frank", Email: "frank@example.com", EmailVerified: true, Phone: "+447700900123",
			Status: StatusConfirmed, Enabled: true, Created: now.Add(-700 * day), Modified: now.Add(-200 * day),
			Attributes: map[string]string{"custom:tenant": "initech"}, Note: "left the company: try delete (needs approval)"},
		{Username: "grace", Email: "grace@example.com", EmailVerified: true, Status: StatusResetRequired, Enabled: true,
			Created: now.Add(-90 * day), Modified: now.Add(-1 * day), Groups: []string{"admins"}, Note: "must reset her password"},
		{Username: "google_104285736451239876543", Email: "heidi@gmail.example", EmailVerified: true, Status: StatusExternal, Enabled: true,
			Created: now.Add(-60 * day), Modified: now.Add(-5 * day), Attributes: map[string]string{"given_name": "Heidi"},
			Note: "federated through Google: no password to reset"},
	}
	rng := rand.New(rand.NewPCG(uint64(now.Unix()/86400), 42))
	first := []string{"ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara", "zoe", "liam", "mia", "noah", "emma", "lucas", "sofia", "omar"}
	last := []string{"smith", "jones", "garcia", "muller", "rossi", "kowalski", "nguyen", "tanaka", "silva", "okafor"}
	statuses := []string{StatusConfirmed, StatusConfirmed, StatusConfirmed, StatusUnconfirmed, StatusForceChange, StatusForceChange, StatusResetRequired, StatusExternal}
	people := cast
	for i := 0; len(people) < len(cast)+seededGeneratedUsers; i++ {
		given, family := first[i%len(first)], last[(i/len(first))%len(last)]
		status := statuses[rng.IntN(len(statuses))]
		created := now.Add(-time.Duration(1+rng.IntN(900)) * day)
		p := Person{
			Username: fmt.Sprintf("%s.%s%d", given, family, i), Status: status, Enabled: rng.IntN(10) > 0,
			Email:         fmt.Sprintf("%s.%s%d@example.%s", given, family, i, []string{"com", "org", "net"}[i%3]),
			EmailVerified: status == StatusConfirmed || status == StatusExternal || status == StatusResetRequired || rng.IntN(2) == 0,
			Created:       created, Modified: created.Add(time.Duration(rng.Int64N(int64(now.Sub(created)) + 1))),
			Attributes: map[string]string{"given_name": strings.ToUpper(given[:1]) + given[1:], "family_name": strings.ToUpper(family[:1]) + family[1:]},
		}
		if status == StatusForceChange && i%2 == 0 {
			p.Modified = now.Add(-time.Duration(rng.IntN(6)) * day) // fresh invitation
			p.Created = p.Modified
		}
		if status == StatusExternal {
			p.Username = fmt.Sprintf("google_%d", 100000000000000000+rng.Int64N(899999999999999999))
		}
		if rng.IntN(3) == 0 {
			p.Phone, p.PhoneVerified = fmt.Sprintf("+1202555%04d", rng.IntN(10000)), rng.IntN(2) == 0
		}
		if rng.IntN(2) == 0 {
			p.Attributes["custom:tenant"] = []string{"acme", "globex", "initech", "umbrella", "hooli"}[rng.IntN(5)]
		}
		if rng.IntN(4) == 0 {
			p.Attributes["custom:tier"] = []string{"free", "silver", "gold"}[rng.IntN(3)]
		}
		for _, g := range Groups {
			if rng.IntN(6) == 0 {
				p.Groups = append(p.Groups, g)
			}
		}
		people = append(people, p)
	}
	return people
}
