package bot_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

// confirmAndRead clicks a confirm prompt's Yes and returns the answer's text.
func confirmAndRead(t *testing.T, h *bottest.Harness, cmd string) string {
	t.Helper()
	prompt := h.Reply(h.Command(bottest.Admin, cmd), 1)
	if !bottest.Contains(prompt, "confirm:yes") {
		t.Fatalf("%s: no confirm prompt:\n%s", cmd, bottest.Text(prompt))
	}
	return h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1).RenderedText()
}

// Taking another user's email answers with what went wrong, not "Internal error".
func TestEditToAnEmailAnotherUserHasSaysSo(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{MemoryPool: func(s *memdir.PoolSpec) { s.AliasAttributes = []string{"email"} }})
	seed(t, h, memdir.SeedUser{Username: "alice", Email: "alice@example.com", EmailVerified: true})
	seed(t, h, memdir.SeedUser{Username: "bob", Email: "bob@example.com", EmailVerified: true})
	answer := confirmAndRead(t, h, "edit bob email=alice@example.com --verified")
	if !strings.Contains(answer, "already used by another user") || strings.Contains(answer, "Internal error") {
		t.Fatalf("answer to a taken email:\n%s", answer)
	}
	if u, _ := h.User("bob"); u.Email != "bob@example.com" {
		t.Errorf("bob's email changed to %q", u.Email)
	}
}

// Forgetting a device the user does not have points at `devices`.
func TestForgetAnUnknownDeviceSaysHowToListThem(t *testing.T) {
	t.Parallel()
	h := deskWorld(t, nil)
	seed(t, h, memdir.SeedUser{Username: "alice", Email: "alice@example.com", EmailVerified: true,
		Devices: []cognito.Device{{Key: "us-east-1_real", Name: "iPhone"}}})
	answer := confirmAndRead(t, h, "forget-device alice nonexistent")
	if !strings.Contains(answer, "isn't one of the user's remembered devices") || strings.Contains(answer, "Internal error") {
		t.Fatalf("answer to an unknown device:\n%s", answer)
	}
}
