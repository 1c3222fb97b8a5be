package views

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"
)

// Action IDs of the confirmation prompt's buttons; both carry ConfirmView.ID.
// Exported because package bot routes clicks by them.
const (
	ActionIDConfirmYes = "confirm:yes"
	ActionIDConfirmNo  = "confirm:no"

	// blockIDConfirmActions is the block_id of the Confirm/Cancel row.
	blockIDConfirmActions = "confirm_actions"
)

// ConfirmView is a pending destructive action waiting for its requester to
// confirm it.
type ConfirmView struct {
	// ID identifies the pending action; it is the buttons' value.
	ID     string
	Action string
	// Words phrase the action, from the action table.
	Words    Words
	Username string
	Pool     string
	// Requester is who asked; the prompt is addressed to them.
	Requester ActorView
	// Expires is when the pending action lapses; zero hides the line.
	Expires time.Time
	Reason  string
	// Detail says what the action will do, e.g. "They will no longer be able
	// to sign in."
	Detail string
}

// ConfirmPrompt asks the requester to confirm a destructive action, with a
// Confirm (danger) and a Cancel button.
func ConfirmPrompt(p ConfirmView) Message {
	w := wordsFor(p.Words, p.Action)
	who := "*" + escTrunc(orDash(p.Username), 300) + "*"
	pool := "*" + escTrunc(orDash(p.Pool), 100) + "*"
	text := fmt.Sprintf("⚠️ You are about to *%s* %s in %s.", Escape(w.Verb), who, pool)
	if p.Detail != "" {
		text += "\n" + escTrunc(p.Detail, 1000)
	}
	if p.Reason != "" {
		text += "\n*Reason:* " + escTrunc(p.Reason, 1500)
	}
	blocks := []slack.Block{sectionBlock(text)}

	ctx := []string{"Requested by " + p.Requester.mention()}
	if !p.Expires.IsZero() {
		ctx = append(ctx, "Expires "+dateToken(p.Expires))
	}
	blocks = append(blocks,
		slack.NewActionBlock(blockIDConfirmActions,
			viewButton(ActionIDConfirmYes, "Confirm", p.ID).WithStyle(slack.StyleDanger),
			viewButton(ActionIDConfirmNo, "Cancel", p.ID),
		),
		contextBlock(ctx...),
	)
	return Message{
		Text: fallbackText(fmt.Sprintf("Confirm: %s %s in %s?", Escape(w.Verb),
			escTrunc(orDash(p.Username), 300), escTrunc(orDash(p.Pool), 100))),
		Blocks: blocks,
	}
}
