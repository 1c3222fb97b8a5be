package blockkit

import (
	"bytes"
	"encoding/json"
)

// invalid is a refusal with Slack's invalid_arguments code.
func invalid(err error) (map[string]any, error) {
	return nil, &APIError{Code: "invalid_arguments", Messages: []string{err.Error()}}
}

// decodeView reads a view object, keeping numbers as json.Number.
func decodeView(raw json.RawMessage) (map[string]any, error) {
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || v == nil {
		return nil, &APIError{Code: "invalid_arguments", Messages: []string{"[ERROR] view must be a JSON object [json-pointer:/view]"}}
	}
	return v, nil
}

// ParseModal validates a modal like Slack (invalid_arguments with messages,
// view_too_large) and returns it with normalized blocks. A refusal is an
// *APIError.
func ParseModal(raw json.RawMessage) (map[string]any, error) {
	if len(raw) > 250_000 {
		return nil, &APIError{Code: "view_too_large"}
	}
	v, err := decodeView(raw)
	if err != nil {
		return nil, err
	}
	if v["type"] != "modal" {
		return invalid(Errorf("/view/type", "must be one of: modal"))
	}
	if err := CheckText("/view/title", v["title"], 24, true); err != nil {
		return invalid(err)
	}
	for _, f := range []string{"submit", "close"} {
		if err := CheckText("/view/"+f, v[f], 24, false); err != nil {
			return invalid(err)
		}
	}
	if pm, _ := v["private_metadata"].(string); runes(pm) > 3000 {
		return invalid(Errorf("/view/private_metadata", "must be less than 3001 characters"))
	}
	if cb, _ := v["callback_id"].(string); runes(cb) > 255 {
		return invalid(Errorf("/view/callback_id", "must be less than 256 characters"))
	}
	blocks, err := normalizeViewBlocks(v)
	if err != nil {
		return invalid(err)
	}
	if _, hasSubmit := v["submit"]; !hasSubmit && len(InputBlocks(blocks)) > 0 {
		return invalid(Errorf("/view", "must define `submit` to use an input block"))
	}
	return v, nil
}

// ParseHome validates a Home tab view object for views.publish: type "home",
// no title, submit or close (a Home tab has none), at most 100 valid blocks.
// A refusal is an *APIError.
func ParseHome(raw json.RawMessage) (map[string]any, error) {
	v, err := decodeView(raw)
	if err != nil {
		return nil, err
	}
	if v["type"] != "home" {
		return invalid(Errorf("/view/type", "must be one of: home"))
	}
	for _, f := range []string{"title", "submit", "close"} {
		if _, ok := v[f]; ok {
			return invalid(Errorf("/view/"+f, "is not allowed in a Home tab"))
		}
	}
	if pm, _ := v["private_metadata"].(string); runes(pm) > 3000 {
		return invalid(Errorf("/view/private_metadata", "must be less than 3001 characters"))
	}
	if _, err := normalizeViewBlocks(v); err != nil {
		return invalid(err)
	}
	return v, nil
}

// normalizeViewBlocks normalizes a view's blocks in place ("[]" when none).
func normalizeViewBlocks(v map[string]any) (json.RawMessage, error) {
	blocks, err := Normalize(marshal(v["blocks"]), MaxViewBlocks)
	if err != nil {
		return nil, err
	}
	v["blocks"] = blocks
	if blocks == nil {
		v["blocks"] = json.RawMessage("[]")
	}
	return blocks, nil
}

// InputBlocks returns the input blocks of normalized blocks JSON.
func InputBlocks(raw json.RawMessage) []map[string]any {
	var blocks []map[string]any
	_ = json.Unmarshal(raw, &blocks)
	var out []map[string]any
	for _, b := range blocks {
		if b["type"] == "input" {
			out = append(out, b)
		}
	}
	return out
}

// HasSubmit reports whether a view object (as JSON) has a submit button.
func HasSubmit(view json.RawMessage) bool {
	var body map[string]json.RawMessage
	_ = json.Unmarshal(view, &body)
	return !IsEmptyJSON(body["submit"])
}
