package bot_test

import (
	"encoding/json"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// menuOptions returns the card's overflow options, label → value.
func menuOptions(t *testing.T, m slackemu.Message) map[string]string {
	t.Helper()
	out := map[string]string{}
	for label, o := range menuOptionsIn(t, m) {
		out[label] = o.value
	}
	return out
}

// menuOption is one overflow option and the menu (action_id) holding it.
type menuOption struct{ menu, value string }

// menuOptionsIn returns every overflow option of the card, label → option;
// a card with many items has several menus.
func menuOptionsIn(t *testing.T, m slackemu.Message) map[string]menuOption {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	out := map[string]menuOption{}
	for _, b := range blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			el, _ := e.(map[string]any)
			if el["type"] != "overflow" {
				continue
			}
			opts, _ := el["options"].([]any)
			for _, o := range opts {
				opt, _ := o.(map[string]any)
				text, _ := opt["text"].(map[string]any)
				label, _ := text["text"].(string)
				value, _ := opt["value"].(string)
				menu, _ := el["action_id"].(string)
				out[label] = menuOption{menu: menu, value: value}
			}
		}
	}
	return out
}

// choose picks the option labelled label in the card's overflow menus as user.
func choose(t *testing.T, h *bottest.Harness, m slackemu.Message, label, user string) *slackemu.Delivery {
	t.Helper()
	o, ok := menuOptionsIn(t, m)[label]
	if !ok {
		t.Fatalf("the card's menu has no %q: %v", label, menuOptions(t, m))
	}
	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.Choose(ctx, m, o.menu, user, o.value)
	if err != nil {
		t.Fatalf("choosing %s: %v", label, err)
	}
	return d
}
