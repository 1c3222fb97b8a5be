package views

import (
	"strings"

	"github.com/slack-go/slack"
)

// Caller verification on a confirm prompt.
const (
	// ActionIDCallerVerified is the "The caller confirmed these" checkbox.
	ActionIDCallerVerified = "caller:verified"
	// CallerVerifiedValue is its one option's value.
	CallerVerifiedValue = "confirmed"
	// blockIDCallerCheck is the block_id of the checkbox row.
	blockIDCallerCheck = "caller_check"
)

// MaskedPhoneFact is the last two digits of a phone number ("ends in 42").
func MaskedPhoneFact(phone string) string {
	var digits []rune
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	if len(digits) < 2 {
		return ""
	}
	return "ends in " + string(digits[len(digits)-2:])
}

// callerCheckBlocks asks the agent to check the masked facts with the caller
// and tick the box; nothing when there are no facts to check.
func callerCheckBlocks(facts []string) []slack.Block {
	if len(facts) == 0 {
		return nil
	}
	var lines []string
	for _, f := range facts {
		lines = append(lines, "• "+EscTrunc(f, 200))
	}
	text := "🔎 *Verify the caller first.* Ask them for these and compare (masked here):\n" + strings.Join(lines, "\n")
	box := slack.NewCheckboxGroupsBlockElement(ActionIDCallerVerified,
		slack.NewOptionBlockObject(CallerVerifiedValue, PlainText("The caller confirmed these", MaxOptionText), nil))
	return []slack.Block{SectionBlock(text), slack.NewActionBlock(blockIDCallerCheck, box)}
}
