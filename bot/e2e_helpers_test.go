package bot_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// buttons returns every button element in a message's blocks.
func buttons(t *testing.T, m slackemu.Message) []map[string]any {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatalf("decoding blocks: %v", err)
	}
	var out []map[string]any
	for _, b := range blocks {
		if els, ok := b["elements"].([]any); ok {
			for _, e := range els {
				if el, ok := e.(map[string]any); ok && el["type"] == "button" {
					out = append(out, el)
				}
			}
		}
		if acc, ok := b["accessory"].(map[string]any); ok && acc["type"] == "button" {
			out = append(out, acc)
		}
	}
	return out
}

func buttonValue(t *testing.T, m slackemu.Message, actionID string) string {
	t.Helper()
	for _, b := range buttons(t, m) {
		if b["action_id"] == actionID {
			v, _ := b["value"].(string)
			return v
		}
	}
	t.Fatalf("no button %s in:\n%s", actionID, m.Blocks)
	return ""
}

func hasConfirmDialog(m slackemu.Message, actionID string) bool {
	var blocks []map[string]any
	_ = json.Unmarshal(m.Blocks, &blocks)
	for _, b := range blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			el, _ := e.(map[string]any)
			if el["action_id"] == actionID && el["confirm"] != nil {
				return true
			}
		}
	}
	return false
}

// quickSweeps is Options.SweepEvery for tests that wait for the sweeper to
// close or settle something (a sweep or two): it runs every 50 ms instead of
// the harness's 200 ms, with the same work each time.
const quickSweeps = 50 * time.Millisecond

// fastQuotas raises the quotas a test's jobs read, list, create and change
// users under, so a long check (more than 200 users, the product's
// threshold) or a bulk job of a dozen users runs in a fraction of a second
// instead of the seconds it takes at the default quotas (a job reads 48
// users and changes 10 a second); the path taken is the same.
func fastQuotas(c *config.Config) {
	c.Quotas.UserRead, c.Quotas.UserList, c.Quotas.UserUpdate, c.Quotas.UserCreation = 10000, 10000, 10000, 10000
}
