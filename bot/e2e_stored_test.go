package bot_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
)

// unreadableState answers for one pending action as the state store does for
// an item it cannot map to its fields (audit/state's contract suite shows which
// items those are).
type unreadableState struct {
	bot.StateStore
	id string
}

func (s unreadableState) Get(ctx context.Context, id string) (audit.Pending, error) {
	if id == s.id {
		return audit.Pending{}, fmt.Errorf("reading pending action %q: pending action %q has kind %q: %w", id, id, "later", audit.ErrUnreadable)
	}
	return s.StateStore.Get(ctx, id)
}

// A button whose stored request this version cannot read is answered with a
// sentence, and nothing is done.
func TestClickOnAnUnreadableStoredRequestIsRefusedWithASentence(t *testing.T) {
	t.Parallel()
	const id = "pUNREADABLE00001"
	h := bottest.New(t, &bottest.Options{WrapState: func(s bot.StateStore) bot.StateStore { return unreadableState{StateStore: s, id: id} }})
	h.CreateUser("lee", "lee@example.com")
	pendingFor(t, h, id, h.Pool.Name, h.Pool.ID, "lee")
	prompt := h.PostButton(bottest.Channel, "Delete lee?", "confirm:yes", id)

	res := h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	if !bottest.Contains(res, "can't read, so nothing was done") {
		t.Errorf("the answer should say the stored request can't be read:\n%s", bottest.Text(res))
	}
	if _, exists := h.User("lee"); !exists {
		t.Fatal("lee was deleted from a request the bot could not read")
	}
}
