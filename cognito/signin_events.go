package cognito

import (
	"slices"
	"time"
)

// AuthEvent is one sign-in (or sign-up, password change, …) attempt as
// Cognito's threat protection recorded it, for a desk asking "did they even
// try to sign in?".
type AuthEvent struct {
	Time time.Time
	// Type is Cognito's EventType: "SignIn", "SignUp", "ForgotPassword", …
	Type string
	// Result is the EventResponse: "Pass", "Fail" or "InProgress".
	Result string
	// Risk is the risk decision ("NoRisk", "AccountTakeover", "Block"), "" when none.
	Risk                      string
	IP, City, Country, Device string
}

// MaxAuthEvents is the most AuthEvents returns: one Cognito page.
const MaxAuthEvents = 60

// SortAuthEvents orders events newest first.
func SortAuthEvents(events []AuthEvent) {
	slices.SortStableFunc(events, func(a, b AuthEvent) int { return b.Time.Compare(a.Time) })
}
