package views

import (
	"fmt"
	"maps"
	"slices"
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
	// Changes, for an edit, are the attributes that change, old → new.
	Changes []ChangeView
	// Args are the action's other arguments (the group, the device), shown so
	// the requester confirms exactly what will happen.
	Args map[string]string
	// CallerFacts, when set, are masked facts an honest caller knows; the
	// prompt asks to check them and has the required "The caller confirmed
	// these" checkbox.
	CallerFacts []string
}

// ChangeView is one attribute change shown for confirmation; New "" deletes
// the attribute.
type ChangeView struct {
	Name, Old, New string
	// Verified marks a new email or phone that is set verified.
	Verified bool
	// Secret marks an attribute named like a secret: a shared channel sees
	// that it changes, not its values.
	Secret bool
}

// maxChangeValue is how much of a value a change line shows.
const maxChangeValue = 120

// changeLines renders changes as "name: old → new" lines.
func changeLines(changes []ChangeView) []string {
	lines := make([]string, len(changes))
	for i, c := range changes {
		old, nu := "_(none)_", "_(deleted)_"
		if c.Old != "" {
			old = codeSpan(escTrunc(c.Old, maxChangeValue))
		}
		if c.New != "" {
			nu = codeSpan(escTrunc(c.New, maxChangeValue))
		}
		line := "• *" + escTrunc(orDash(c.Name), 60) + "*: " + old + " → " + nu
		if c.Verified {
			line += " (marked verified)"
		}
		lines[i] = line
	}
	return lines
}

// detailBlocks shows what an action will do beyond its verb and user: its
// arguments ("group: admins") and, for an edit, every change old → new.
func detailBlocks(args map[string]string, changes []ChangeView) []slack.Block {
	var blocks []slack.Block
	if len(args) > 0 {
		var lines []string
		for _, k := range slices.Sorted(maps.Keys(args)) {
			lines = append(lines, "• *"+escTrunc(k, 60)+"*: "+codeSpan(escTrunc(orDash(args[k]), maxChangeValue)))
		}
		blocks = append(blocks, packLines(lines, 10, func(n int) string { return fmt.Sprintf("…and %d more.", n) })...)
	}
	if len(changes) > 0 {
		blocks = append(blocks, packLines(changeLines(changes), 10, func(n int) string {
			return fmt.Sprintf("…and %d more changes not shown; all of them are made.", n)
		})...)
	}
	return blocks
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
	blocks := append([]slack.Block{sectionBlock(text)}, detailBlocks(p.Args, p.Changes)...)

	ctx := []string{"Requested by " + p.Requester.mention()}
	if !p.Expires.IsZero() {
		ctx = append(ctx, "Expires "+dateToken(p.Expires))
	}
	blocks = append(blocks, callerCheckBlocks(p.CallerFacts)...)
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
