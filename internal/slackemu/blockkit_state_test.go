package slackemu

import (
	"encoding/json"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
)

// The state a message carries back (blockkit.MessageState) holds only ticked
// options the message has. Tested here, with the emulator that relies on it,
// so package blockkit needs no test binary of its own.
func TestMessageStateCarriesOnlyTickedOptionsThatExist(t *testing.T) {
	t.Parallel()
	blocks := json.RawMessage(`[{"type":"actions","block_id":"b1","elements":[{"type":"checkboxes","action_id":"ok",
		"options":[{"text":{"type":"plain_text","text":"Yes"},"value":"yes"}]}]}]`)
	state, err := blockkit.MessageState(blocks, map[string][]string{"ok": {"yes"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(state)
	if string(got) != `{"b1":{"ok":{"selected_options":[{"text":{"text":"Yes","type":"plain_text"},"value":"yes"}],"type":"checkboxes"}}}` {
		t.Errorf("state = %s", got)
	}
	if _, err := blockkit.MessageState(blocks, map[string][]string{"ok": {"no"}}); err == nil {
		t.Error("an option the message does not have was ticked")
	}
	if _, err := blockkit.MessageState(blocks, map[string][]string{"other": {"yes"}}); err == nil {
		t.Error("checkboxes the message does not have were ticked")
	}
}
