package desk_test

import (
	"slices"
	"testing"

	_ "github.com/cognito-bot/cognito-bot/bot/commands" // declares the kinds of every package (usercmd and flows through it)
	"github.com/cognito-bot/cognito-bot/bot/desk"
)

// The kinds of session keep the names the previous version stored: a session
// written before an upgrade is found under the same kind after it.
func TestSessionKindsKeepTheirStoredNames(t *testing.T) {
	want := []string{"audit-search", "bulk_users", "card", "create", "device", "edit", "groups", "import", "list", "pick", "reason"}
	if got := desk.SessionKindNames(); !slices.Equal(got, want) {
		t.Errorf("session kinds %q; want %q", got, want)
	}
}
