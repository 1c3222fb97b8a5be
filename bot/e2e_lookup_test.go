package bot_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
)

func TestLookupShowsCardWithPermittedButtons(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("alice", "alice@example.com")

	card := h.Reply(h.Command(bottest.Support, "lookup alice"), 1)
	if !card.Ephemeral || card.User != bottest.Support {
		t.Fatalf("card should be ephemeral to the requester, got ephemeral=%v user=%s", card.Ephemeral, card.User)
	}
	for _, want := range []string{"alice", "alice@example.com", "CONFIRMED", "card:disable", "card:reset-password", "card:revoke"} {
		if !bottest.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, bottest.Text(card))
		}
	}
	if bottest.Contains(card, "card:delete") {
		t.Errorf("support may not delete, but the card offers Delete")
	}
	// The lookup itself is audited.
	if got := h.AuditFor("alice", 1); got[0].Action != "lookup" || got[0].Actor.UserID != bottest.Support {
		t.Errorf("audit entry = %+v, want a lookup by %s", got[0], bottest.Support)
	}
}

func TestLookupByEmailAndSlackMailtoWrapping(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("bob", "bob@example.com")
	card := h.Reply(h.Command(bottest.Admin, "find <mailto:bob@example.com|bob@example.com>"), 1)
	if !bottest.Contains(card, "bob") || menuOptions(t, card)["Delete"] == "" {
		t.Fatalf("lookup by mailto-wrapped email failed:\n%s", bottest.Text(card))
	}
}

func TestHostileNameIsEscaped(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, nil)
	h.CreateUser("mallory", "mallory@example.com", map[string]string{"name": "<!channel> *x*"})
	card := h.Reply(h.Command(bottest.Admin, "lookup mallory"), 1)
	if strings.Contains(string(card.Blocks), "<!channel>") {
		t.Fatalf("a user's name pinged the channel:\n%s", card.Blocks)
	}
	if !bottest.Contains(card, "&lt;!channel&gt;") {
		t.Fatalf("escaped name not shown:\n%s", card.Blocks)
	}
}
