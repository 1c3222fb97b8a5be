package blockkit

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// StateValues builds state.values for every input block of the view viewID
// (blocks normalized): the given inputs (block_id → action_id → Input),
// the initial value of every input not given, and the files of file_inputs,
// found by file. It refuses what Slack's client would not submit.
func StateValues(viewID string, blocks json.RawMessage, inputs map[string]map[string]Input, file func(id string) (UploadedFile, bool)) (map[string]any, error) {
	used := 0
	state := map[string]any{}
	for _, b := range InputBlocks(blocks) {
		blockID, _ := b["block_id"].(string)
		el, _ := b["element"].(map[string]any)
		actionID, _ := el["action_id"].(string)
		typ, _ := el["type"].(string)
		in, given := inputs[blockID][actionID]
		if given {
			used++
		} else {
			in = initialValue(typ, el) // an untouched input submits what it was prefilled with
		}
		var sv map[string]any
		var err error
		if typ == "file_input" {
			sv, err = fileInputValue(el, in.values(), file)
		} else {
			sv, err = stateValue(typ, el, in)
		}
		if err != nil {
			return nil, fmt.Errorf("slackemu: input %s/%s: %w", blockID, actionID, err)
		}
		if optional, _ := b["optional"].(bool); !optional && in.empty() {
			return nil, fmt.Errorf("slackemu: required input %s/%s is empty; Slack would not let the user submit", blockID, actionID)
		}
		state[blockID] = map[string]any{actionID: sv}
	}
	given := 0
	for _, acts := range inputs {
		given += len(acts)
	}
	if used != given {
		return nil, fmt.Errorf("slackemu: values name inputs that view %s does not have", viewID)
	}
	return state, nil
}

// shaped checks that in has the shape typ takes and, for a multi-valued
// element, returns its values (splitting SubmitView's comma notation).
func shaped(typ string, in *Input) ([]string, error) {
	switch {
	case multiValued[typ] && in.multi:
		return in.chosen, nil
	case multiValued[typ] && in.commaList:
		if in.text == "" {
			return nil, nil
		}
		return strings.Split(in.text, ","), nil
	case multiValued[typ]:
		return nil, fmt.Errorf("%s takes a list of values, not the single value %q", typ, in.text)
	case in.multi:
		return nil, fmt.Errorf("%s takes one value, not a list of %d", typ, len(in.chosen))
	}
	return nil, nil
}

// stateValue renders one input's value the way Slack does for its element type.
func stateValue(typ string, el map[string]any, in Input) (map[string]any, error) {
	list, err := shaped(typ, &in)
	if err != nil {
		return nil, err
	}
	if multiValued[typ] {
		in = Chosen(list...) // a comma list is a list from here on
		seen := map[string]bool{}
		for _, x := range list {
			if seen[x] {
				return nil, fmt.Errorf("value %q chosen twice", x)
			}
			seen[x] = true
		}
		if n, ok := el["max_selected_items"].(float64); ok && len(list) > int(n) {
			return nil, fmt.Errorf("%d values chosen, max_selected_items is %d", len(list), int(n))
		}
	}
	val := in.text
	sv := map[string]any{"type": typ}
	switch typ {
	case "static_select", "external_select", "radio_buttons":
		sv["selected_option"] = nil
		if val != "" {
			opt := FindOption(el, val)
			if opt == nil {
				return nil, fmt.Errorf("no option with value %q", val)
			}
			sv["selected_option"] = opt
		}
	case "checkboxes", "multi_static_select", "multi_external_select":
		opts := []any{}
		for _, x := range list {
			opt := FindOption(el, x)
			if opt == nil {
				return nil, fmt.Errorf("no option with value %q", x)
			}
			opts = append(opts, opt)
		}
		sv["selected_options"] = opts
	case "users_select":
		sv["selected_user"] = nullable(val)
	case "conversations_select":
		sv["selected_conversation"] = nullable(val)
	case "channels_select":
		sv["selected_channel"] = nullable(val)
	case "multi_users_select":
		sv["selected_users"] = append([]string{}, list...)
	case "multi_conversations_select":
		sv["selected_conversations"] = append([]string{}, list...)
	case "multi_channels_select":
		sv["selected_channels"] = append([]string{}, list...)
	case "datepicker":
		if _, err := time.Parse(time.DateOnly, val); val != "" && err != nil {
			return nil, fmt.Errorf("date %q is not YYYY-MM-DD", val)
		}
		sv["selected_date"] = nullable(val)
	case "timepicker":
		if _, err := time.Parse("15:04", val); val != "" && err != nil {
			return nil, fmt.Errorf("time %q is not HH:MM", val)
		}
		sv["selected_time"] = nullable(val)
	default: // plain_text_input, email_text_input, url_text_input, number_input, …
		if n, ok := el["max_length"].(float64); ok && runes(val) > int(n) {
			return nil, fmt.Errorf("value longer than max_length %d", int(n))
		}
		if n, ok := el["min_length"].(float64); ok && val != "" && runes(val) < int(n) {
			return nil, fmt.Errorf("value shorter than min_length %d", int(n))
		}
		sv["value"] = nullable(val)
	}
	return sv, nil
}

// FindOption returns the option object with value among an element's options
// and option groups, or nil: only a rendered option can be chosen.
func FindOption(el map[string]any, value string) any {
	var opts []any
	if o, ok := el["options"].([]any); ok {
		opts = append(opts, o...)
	}
	if groups, ok := el["option_groups"].([]any); ok {
		for _, g := range groups {
			if gm, ok := g.(map[string]any); ok {
				o, _ := gm["options"].([]any)
				opts = append(opts, o...)
			}
		}
	}
	for _, o := range opts {
		if om, ok := o.(map[string]any); ok && om["value"] == value {
			return om
		}
	}
	return nil
}

func nullable(x string) any {
	if x == "" {
		return nil
	}
	return x
}

// initialValue is what an input the user did not touch submits: its
// initial_value, initial_option(s), initial_date or the like.
func initialValue(typ string, el map[string]any) Input {
	str := func(k string) string { v, _ := el[k].(string); return v }
	strs := func(k string) []string {
		var out []string
		for _, x := range asList(el[k]) {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	switch typ {
	case "static_select", "radio_buttons":
		if o, ok := el["initial_option"].(map[string]any); ok {
			v, _ := o["value"].(string)
			return Text(v)
		}
		return Text("")
	case "checkboxes", "multi_static_select":
		var vals []string
		for _, o := range asList(el["initial_options"]) {
			if om, ok := o.(map[string]any); ok {
				v, _ := om["value"].(string)
				vals = append(vals, v)
			}
		}
		return Chosen(vals...)
	case "multi_users_select":
		return Chosen(strs("initial_users")...)
	case "multi_conversations_select":
		return Chosen(strs("initial_conversations")...)
	case "multi_channels_select":
		return Chosen(strs("initial_channels")...)
	case "multi_external_select":
		return Chosen()
	case "users_select":
		return Text(str("initial_user"))
	case "conversations_select":
		return Text(str("initial_conversation"))
	case "channels_select":
		return Text(str("initial_channel"))
	case "datepicker":
		return Text(str("initial_date"))
	case "timepicker":
		return Text(str("initial_time"))
	default:
		return Text(str("initial_value"))
	}
}

func asList(x any) []any { l, _ := x.([]any); return l }
