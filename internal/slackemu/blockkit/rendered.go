package blockkit

import (
	"encoding/json"
	"sort"
	"strings"
)

// Button is a button as rendered in a message or view.
type Button struct {
	BlockID, ActionID, Text, Value, URL, Style string
	// Confirm reports whether clicking first shows a confirmation dialog.
	Confirm bool
}

// Buttons lists the buttons rendered by blocks JSON, in order.
func Buttons(raw json.RawMessage) []Button {
	var blocks []map[string]any
	if json.Unmarshal(raw, &blocks) != nil {
		return nil
	}
	var out []Button
	for _, b := range blocks {
		blockID, _ := b["block_id"].(string)
		for _, el := range Elements(b) {
			if el.Object["type"] != "button" {
				continue
			}
			btn := Button{BlockID: blockID}
			btn.ActionID, _ = el.Object["action_id"].(string)
			btn.Value, _ = el.Object["value"].(string)
			btn.URL, _ = el.Object["url"].(string)
			btn.Style, _ = el.Object["style"].(string)
			if t, ok := el.Object["text"].(map[string]any); ok {
				btn.Text, _ = t["text"].(string)
			}
			_, btn.Confirm = el.Object["confirm"]
			out = append(out, btn)
		}
	}
	return out
}

// RenderedText is every text in the blocks, joined by newlines: what a user
// reads, in a stable order.
func RenderedText(blocks json.RawMessage) string {
	var v any
	if json.Unmarshal(blocks, &v) != nil {
		return ""
	}
	var parts []string
	collectTexts(v, &parts)
	return strings.Join(parts, "\n")
}

func collectTexts(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		if t, ok := x["text"].(string); ok && t != "" {
			*out = append(*out, t)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // map order is random; keep the output stable
		for _, k := range keys {
			if k != "text" || !isString(x[k]) {
				collectTexts(x[k], out)
			}
		}
	case []any:
		for _, child := range x {
			collectTexts(child, out)
		}
	}
}

func isString(v any) bool { _, ok := v.(string); return ok }
