package blockkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// Input is what the user left in one input of a modal, for SubmitInputs.
// Its shape must fit the element, as in Slack's client: Text for text
// inputs, single selects, radio buttons and pickers; Chosen for checkboxes
// and multi-selects, whose option values may themselves contain commas.
type Input struct {
	text   string
	chosen []string
	multi  bool
	// commaList marks a value that came through SubmitView's string notation,
	// where a multi-valued input lists its values separated by commas.
	commaList bool
}

// Text is a single value: typed text, an option value, a date (YYYY-MM-DD),
// a time (HH:MM) or a user/conversation ID; "" is an empty input.
func Text(value string) Input { return Input{text: value} }

// Chosen is the option values ticked or picked in a checkboxes group or a
// multi-select; none is an empty selection.
func Chosen(values ...string) Input {
	return Input{chosen: append([]string{}, values...), multi: true}
}

// UnmarshalJSON reads a JSON string as Text and a JSON array of strings as
// Chosen, so a page can post what its form holds; anything else is refused.
func (in *Input) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.HasPrefix(b, []byte(`"`)):
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*in = Text(s)
	case bytes.HasPrefix(b, []byte(`[`)):
		var vs []string
		if err := json.Unmarshal(b, &vs); err != nil {
			return errors.New("slackemu: a chosen input is a list of option values (strings)")
		}
		*in = Chosen(vs...)
	default:
		return errors.New("slackemu: an input value is a string or a list of strings")
	}
	return nil
}

// CommaList is a value in SubmitView's string notation, where a
// multi-valued input lists its values separated by commas.
func CommaList(value string) Input { return Input{text: value, commaList: true} }

// empty says whether the input holds nothing, which a required input refuses.
func (in Input) empty() bool {
	if in.multi {
		return len(in.chosen) == 0
	}
	return in.text == ""
}

// multiValued lists the element types whose state carries selected_options
// (or selected_users and the like): they take Chosen, the rest take Text.
var multiValued = map[string]bool{
	"checkboxes": true, "multi_static_select": true, "multi_external_select": true,
	"multi_users_select": true, "multi_conversations_select": true, "multi_channels_select": true,
}

// values is the input as a list: the chosen values, or a text split at commas
// (how SubmitView's string notation lists several files).
func (in Input) values() []string {
	switch {
	case in.multi:
		return in.chosen
	case in.text == "":
		return nil
	}
	return strings.Split(in.text, ",")
}
