package blockkit

import (
	"encoding/json"
	"fmt"
)

// MessageState builds a block_actions payload's state.values for a message
// whose checkboxes the user has ticked, as Slack sends it with any click in
// that message: state.values[block_id][action_id] = {type: "checkboxes",
// selected_options: [the ticked option objects]}. ticked maps a checkboxes
// element's action_id to the values of its ticked options; every one must be
// an option of a checkboxes element in the message, or it is an error, as a
// person can only tick what is shown.
func MessageState(blocks json.RawMessage, ticked map[string][]string) (map[string]any, error) {
	values := map[string]any{}
	if len(ticked) == 0 {
		return values, nil
	}
	var bs []map[string]any
	if err := json.Unmarshal(blocks, &bs); err != nil {
		return nil, fmt.Errorf("slackemu: reading the message's blocks: %w", err)
	}
	found := map[string]bool{}
	for _, b := range bs {
		blockID, _ := b["block_id"].(string)
		var elems []any
		if es, ok := b["elements"].([]any); ok {
			elems = es
		}
		if acc, ok := b["accessory"]; ok {
			elems = append(elems, acc)
		}
		for _, e := range elems {
			el, _ := e.(map[string]any)
			actionID, _ := el["action_id"].(string)
			want, ok := ticked[actionID]
			if !ok || el["type"] != "checkboxes" {
				continue
			}
			opts, _ := el["options"].([]any)
			var selected []any
			for _, v := range want {
				var match any
				for _, o := range opts {
					if om, _ := o.(map[string]any); om["value"] == v {
						match = om
					}
				}
				if match == nil {
					return nil, fmt.Errorf("slackemu: checkboxes %q have no option %q", actionID, v)
				}
				selected = append(selected, match)
			}
			if selected == nil {
				selected = []any{}
			}
			values[blockID] = map[string]any{actionID: map[string]any{"type": "checkboxes", "selected_options": selected}}
			found[actionID] = true
		}
	}
	for actionID := range ticked {
		if !found[actionID] {
			return nil, fmt.Errorf("slackemu: the message has no checkboxes %q", actionID)
		}
	}
	return values, nil
}
