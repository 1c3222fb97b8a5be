package views

import (
	"time"

	"github.com/slack-go/slack"
)

// ActionIDUndo is the Undo button of a user scheduled for deletion; its value
// is the schedule's opaque id.
const ActionIDUndo = "deletion:undo"

// DeletionView is a user's deletion waiting out its undo window: who asked,
// who approved, when it becomes final.
type DeletionView struct {
	At          time.Time
	RequestedBy ActorView
	// ApprovedBy is empty when no approval applied (confirmed by the requester).
	ApprovedBy ActorView
	// UndoValue, when set, shows the Undo button carrying it.
	UndoValue string
}

// DeletionLine says when a user is deleted for good and on whose word:
// "🗑 Scheduled for deletion at … (requested by @a, approved by @b)".
func DeletionLine(d DeletionView) string {
	line := "🗑 *Scheduled for deletion* at " + DateToken(d.At) + " (requested by " + d.RequestedBy.Mention()
	if d.ApprovedBy.UserID != "" {
		line += ", approved by " + d.ApprovedBy.Mention()
	}
	return line + "). Disabled and signed out until then."
}

// DeletionBlock is the card's deletion line, with the Undo button when offered.
func DeletionBlock(d DeletionView) slack.Block {
	s := SectionBlock(DeletionLine(d))
	if d.UndoValue != "" {
		btn := ViewButton(ActionIDUndo, "Undo", d.UndoValue).WithStyle(slack.StylePrimary)
		s = slack.NewSectionBlock(MrkdwnText(DeletionLine(d)), nil, slack.NewAccessory(btn))
	}
	return s
}
