package usercmd

import (
	"strings"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/slack-go/slack"
)

// FormValue is the trimmed text of a plain_text_input, and whether the view
// has that input at all.
func FormValue(v *slack.View, blockID string) (string, bool) {
	if v.State == nil {
		return "", false
	}
	a, ok := v.State.Values[blockID][views.FormValueActionID]
	if !ok {
		return "", false
	}
	return strings.TrimSpace(a.Value), true
}

// FormSelected is the values of the options chosen in a checkbox group or a
// multi-select.
func FormSelected(v *slack.View, blockID string) []string {
	if v.State == nil {
		return nil
	}
	var out []string
	for _, o := range v.State.Values[blockID][views.FormValueActionID].SelectedOptions {
		out = append(out, o.Value)
	}
	return out
}

// formAttributes is every attribute input of a form, by attribute name.
func formAttributes(v *slack.View) map[string]string {
	out := map[string]string{}
	if v.State == nil {
		return out
	}
	for blockID := range v.State.Values {
		if name, ok := strings.CutPrefix(blockID, views.AttrBlockPrefix); ok {
			out[name], _ = FormValue(v, blockID)
		}
	}
	return out
}
