package blockkit

import (
	"encoding/json"
	"fmt"
)

// Limits of the input and select elements (Block Kit reference).
const (
	maxSelectOptions   = 100
	maxCheckboxOptions = 10
	maxOptionText      = 75
	maxOptionValue     = 150
	maxPlaceholder     = 150
	maxInputLength     = 3000
)

// checkInputElement validates plain_text_input, static and multi-static
// selects and checkboxes the way Slack does: option counts, option text and
// value lengths, placeholders, max_length, and initial values that must be
// among the options or within max_length.
func checkInputElement(ptr, typ string, m map[string]any) error {
	if err := CheckText(ptr+"/placeholder", m["placeholder"], maxPlaceholder, false); err != nil {
		return err
	}
	switch typ {
	case "plain_text_input":
		maxLen := maxInputLength
		if n, ok := m["max_length"].(json.Number); ok {
			v, err := n.Int64()
			if err != nil || v < 1 || v > maxInputLength {
				return Errorf(ptr+"/max_length", "must be between 1 and %d", maxInputLength)
			}
			maxLen = int(v)
		}
		if iv, _ := m["initial_value"].(string); runes(iv) > maxLen {
			return Errorf(ptr+"/initial_value", "must be at most max_length (%d) characters", maxLen)
		}
	case "file_input":
		if n, ok := m["max_files"].(json.Number); ok {
			if v, err := n.Int64(); err != nil || v < 1 || v > 10 {
				return Errorf(ptr+"/max_files", "must be between 1 and 10")
			}
		}
		if ft, ok := m["filetypes"]; ok {
			list, _ := ft.([]any)
			for i, t := range list {
				if s, _ := t.(string); s == "" {
					return Errorf(fmt.Sprintf("%s/filetypes/%d", ptr, i), "must be a file type such as csv")
				}
			}
		}
	case "static_select", "multi_static_select", "checkboxes", "radio_buttons":
		opts, _ := m["options"].([]any)
		limit := maxSelectOptions
		if typ == "checkboxes" || typ == "radio_buttons" {
			limit = maxCheckboxOptions
		}
		if _, grouped := m["option_groups"]; !grouped && (len(opts) == 0 || len(opts) > limit) {
			return Errorf(ptr+"/options", "must have between 1 and %d items", limit)
		}
		values := map[string]bool{}
		for i, o := range opts {
			om, _ := o.(map[string]any)
			optPtr := fmt.Sprintf("%s/options/%d", ptr, i)
			if err := CheckText(optPtr+"/text", om["text"], maxOptionText, true); err != nil {
				return err
			}
			v, _ := om["value"].(string)
			if v == "" || runes(v) > maxOptionValue {
				return Errorf(optPtr+"/value", "must be between 1 and %d characters", maxOptionValue)
			}
			values[v] = true
		}
		initial, _ := m["initial_options"].([]any)
		if io, ok := m["initial_option"]; ok {
			initial = append(initial, io)
		}
		for i, o := range initial {
			om, _ := o.(map[string]any)
			if v, _ := om["value"].(string); !values[v] {
				return Errorf(fmt.Sprintf("%s/initial_options/%d", ptr, i), "must match one of the options")
			}
		}
	}
	return nil
}

func runes(s string) int { return len([]rune(s)) }
