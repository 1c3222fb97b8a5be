package bot

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"
)

// Action IDs of the confirmation prompt's buttons; both carry confirmView.ID.
const (
	actionIDConfirmYes = "confirm:yes"
	actionIDConfirmNo  = "confirm:no"

	// blockIDConfirmActions is the block_id of the Confirm/Cancel row.
	blockIDConfirmActions = "confirm_actions"
)

// confirmView is a pending destructive action waiting for its requester to
// confirm it.
type confirmView struct {
	// ID identifies the pending action; it is the buttons' value.
	ID       string
	Action   string
	Username string
	Pool     string
	// Requester is who asked; the prompt is addressed to them.
	Requester actorView
	// Expires is when the pending action lapses; zero hides the line.
	Expires time.Time
	Reason  string
	// Detail says what the action will do, e.g. "They will no longer be able
	// to sign in."
	Detail string
}

// confirmPrompt asks the requester to confirm a destructive action, with a
// Confirm (danger) and a Cancel button.
func confirmPrompt(p confirmView) message {
	w := wordsFor(p.Action)
	who := "*" + escTrunc(orDash(p.Username), 300) + "*"
	pool := "*" + escTrunc(orDash(p.Pool), 100) + "*"
	text := fmt.Sprintf("⚠️ You are about to *%s* %s in %s.", escape(w.Verb), who, pool)
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
			viewButton(actionIDConfirmYes, "Confirm", p.ID).WithStyle(slack.StyleDanger),
			viewButton(actionIDConfirmNo, "Cancel", p.ID),
		),
		contextBlock(ctx...),
	)
	return message{
		Text: fallbackText(fmt.Sprintf("Confirm: %s %s in %s?", escape(w.Verb),
			escTrunc(orDash(p.Username), 300), escTrunc(orDash(p.Pool), 100))),
		Blocks: blocks,
	}
}
