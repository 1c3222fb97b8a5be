package slackemu

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// SubmitView is userID pressing Submit on an open modal with the given input
// values (block_id → action_id → value). It delivers a view_submission
// envelope whose view carries callback_id, private_metadata and state.values
// for every input block, with accepts_response_payload true; the ack's
// response_action (errors, update, push, clear, or none) then acts on the view.
//
// Values are strings: the text for text inputs, the option value for
// static_select / radio_buttons, the ID for users/conversations/channels
// selects, comma-separated values for checkboxes and multi-selects, and
// comma-separated file ids (from PutFile, uploaded by the submitting user) for
// file_input, which must respect the element's max_files and filetypes.
//
// Like the Slack client, it refuses (with an error, delivering nothing) to
// submit a view that is closed, not on top, someone else's, missing a
// required input, or given a value for an input it does not have.
func (s *Server) SubmitView(ctx context.Context, viewID, userID string, values map[string]map[string]string) (*Delivery, error) {
	s.mu.Lock()
	v := s.views[viewID]
	switch {
	case v == nil:
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: no view %s", viewID)
	case !v.Open || s.topViewLocked(v.UserID) != v:
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: view %s is not on screen", viewID)
	case v.UserID != userID:
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: view %s belongs to %s, not %s", viewID, v.UserID, userID)
	case !hasSubmit(v):
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: view %s has no submit button", viewID)
	}
	state, err := stateValues(v, values, s.userFileLocked(userID))
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	v.Errors = nil
	trig := s.newTriggerLocked(userID)
	payload := map[string]any{
		"type": "view_submission", "team": s.teamJSON(), "user": s.userJSONLocked(userID),
		"api_app_id": s.opts.AppID, "token": verificationToken, "trigger_id": trig,
		"view": s.viewJSONLocked(v, state), "response_urls": []any{},
		"is_enterprise_install": false, "enterprise": nil,
	}
	d := &delivery{
		pub: Delivery{
			EnvelopeID: newEnvelopeID(), Type: TypeInteractive, Payload: marshal(payload),
			AcceptsResponsePayload: true, TriggerID: trig, ViewID: viewID,
		},
		viewID: viewID,
	}
	s.mu.Unlock()
	return s.enqueue(ctx, d)
}

// stateValues builds state.values for every input block of v.
func stateValues(v *View, values map[string]map[string]string, file func(id string) (File, bool)) (map[string]any, error) {
	used := 0
	state := map[string]any{}
	for _, b := range inputBlocks(v.Blocks) {
		blockID, _ := b["block_id"].(string)
		el, _ := b["element"].(map[string]any)
		actionID, _ := el["action_id"].(string)
		typ, _ := el["type"].(string)
		val, given := values[blockID][actionID]
		if given {
			used++
		} else {
			val = initialValue(typ, el) // an untouched input submits what it was prefilled with
		}
		if optional, _ := b["optional"].(bool); !optional && val == "" {
			return nil, fmt.Errorf("slackemu: required input %s/%s is empty; Slack would not let the user submit", blockID, actionID)
		}
		var sv map[string]any
		var err error
		if typ == "file_input" {
			sv, err = fileInputValue(el, val, file)
		} else {
			sv, err = stateValue(typ, el, val)
		}
		if err != nil {
			return nil, fmt.Errorf("slackemu: input %s/%s: %w", blockID, actionID, err)
		}
		state[blockID] = map[string]any{actionID: sv}
	}
	given := 0
	for _, acts := range values {
		given += len(acts)
	}
	if used != given {
		return nil, fmt.Errorf("slackemu: values name inputs that view %s does not have", v.ID)
	}
	return state, nil
}

// stateValue renders one input's value the way Slack does for its element type.
func stateValue(typ string, el map[string]any, val string) (map[string]any, error) {
	sv := map[string]any{"type": typ}
	var list []string
	if val != "" {
		list = strings.Split(val, ",")
	}
	switch typ {
	case "static_select", "external_select", "radio_buttons":
		sv["selected_option"] = nil
		if val != "" {
			opt := findOption(el, val)
			if opt == nil {
				return nil, fmt.Errorf("no option with value %q", val)
			}
			sv["selected_option"] = opt
		}
	case "checkboxes", "multi_static_select", "multi_external_select":
		opts := []any{}
		for _, x := range list {
			opt := findOption(el, x)
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
	case "datepicker":
		sv["selected_date"] = nullable(val)
	case "timepicker":
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

func hasSubmit(v *View) bool {
	var body map[string]json.RawMessage
	_ = json.Unmarshal(v.JSON, &body)
	return !isEmptyJSON(body["submit"])
}

func findOption(el map[string]any, value string) any {
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
// initial_value, initial_option or initial_options, in SubmitView's notation.
func initialValue(typ string, el map[string]any) string {
	switch typ {
	case "static_select", "radio_buttons":
		if o, ok := el["initial_option"].(map[string]any); ok {
			v, _ := o["value"].(string)
			return v
		}
	case "checkboxes", "multi_static_select":
		opts, _ := el["initial_options"].([]any)
		var vals []string
		for _, o := range opts {
			if om, ok := o.(map[string]any); ok {
				v, _ := om["value"].(string)
				vals = append(vals, v)
			}
		}
		return strings.Join(vals, ",")
	default:
		v, _ := el["initial_value"].(string)
		return v
	}
	return ""
}
