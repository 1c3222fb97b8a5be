package viewstest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// Strings is every string a message carries once marshalled as Slack gets it
// (its fallback text and every text, value and id of its blocks), one per
// line: what a test searches for what a reader would see, or must not.
func Strings(t testing.TB, text string, blocks []slack.Block) string {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"text": text, "blocks": blocks})
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var collect func(any)
	collect = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, e := range v {
				collect(e)
			}
		case []any:
			for _, e := range v {
				collect(e)
			}
		case string:
			b.WriteString(v + "\n")
		}
	}
	collect(v)
	return b.String()
}
