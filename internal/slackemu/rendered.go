package slackemu

import "github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"

// Button is a button as rendered in a message or view.
type Button = blockkit.Button

// Buttons lists the buttons currently rendered in the message, in order.
func (m Message) Buttons() []Button { return blockkit.Buttons(m.Blocks) }

// RenderedText is the text a user reads: every text in the blocks joined by
// newlines, or the top-level text when there are no blocks (with blocks, Slack
// uses the top-level text only for notifications).
func (m Message) RenderedText() string {
	if blockkit.IsEmptyJSON(m.Blocks) {
		return m.Text
	}
	return blockkit.RenderedText(m.Blocks)
}

// RenderedText is every text in the view's blocks, joined by newlines.
func (v View) RenderedText() string { return blockkit.RenderedText(v.Blocks) }

// Input is what the user left in one input of a modal, for SubmitInputs:
// Text for single-valued inputs, Chosen for checkboxes and multi-selects.
type Input = blockkit.Input

// Text is a single value: typed text, an option value, a date (YYYY-MM-DD),
// a time (HH:MM) or a user/conversation ID; "" is an empty input.
func Text(value string) Input { return blockkit.Text(value) }

// Chosen is the option values ticked or picked in a checkboxes group or a
// multi-select; none is an empty selection.
func Chosen(values ...string) Input { return blockkit.Chosen(values...) }
