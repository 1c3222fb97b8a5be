package views

import (
	"fmt"

	"github.com/slack-go/slack"
)

// IDs of the reason modal. The submission arrives as a view_submission with
// callback_id ReasonCallbackID; the text is at
// state.values[ReasonBlockID][ReasonActionID], and private_metadata carries
// the value passed to ReasonModal. Package bot reads the submission by them.
const (
	ReasonCallbackID = "reason"
	ReasonBlockID    = "reason"
	ReasonActionID   = "reason"
	reasonMaxLen     = 500

	// maxModalTitle is the limit of a modal's title, submit and close texts.
	maxModalTitle  = 24
	maxPrivateMeta = 3000
)

// ReasonModal asks for the reason behind an action. value is an opaque token
// returned as private_metadata on submission.
func ReasonModal(value, action string, words Words, username string) slack.ModalViewRequest {
	if len([]rune(value)) > maxPrivateMeta {
		value = string([]rune(value)[:maxPrivateMeta])
	}
	w := WordsFor(words, action)
	intro := fmt.Sprintf("To *%s* *%s*, give a reason. It is recorded in the audit log and shown to approvers.",
		Escape(w.Verb), EscTrunc(OrDash(username), 300))
	input := slack.NewPlainTextInputBlockElement(
		PlainText("e.g. ticket SUP-1234: account compromised", 150), ReasonActionID).
		WithMultiline(true).WithMaxLength(reasonMaxLen)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           PlainText("Reason required", maxModalTitle),
		Submit:          PlainText("Submit", maxModalTitle),
		Close:           PlainText("Cancel", maxModalTitle),
		CallbackID:      ReasonCallbackID,
		PrivateMetadata: value,
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			SectionBlock(intro),
			slack.NewInputBlock(ReasonBlockID, PlainText("Reason", 2000), nil, input),
		}},
	}
}
