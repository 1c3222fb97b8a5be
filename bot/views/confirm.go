package views

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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
	// Tickets links the ticket ids in Reason.
	Tickets Tickets
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

// maxChangeValue is how much of a value a change line shows; a longer value
// is shown whole in a block of its own below the lines.
const maxChangeValue = 120

// maxWholeText bounds the text of the blocks that show long values whole, so
// the card stays within Slack's size for a message (slack-platform.md §7).
const maxWholeText = 6000

// details renders what an action will do beyond its verb and user: its
// arguments ("group: admins") and, for an edit, every change old → new. A
// value too long for its line is shortened there — an email keeping its
// domain whole — and shown whole in a code block below. whole is false when
// something could not be shown whole (too many or too long values); the bot
// refuses such a request rather than ask anyone to judge what they cannot see.
func details(args map[string]string, changes []ChangeView) (blocks []slack.Block, whole bool) {
	whole = true
	var full []string
	value := func(label, name, v string) string {
		short, cut := inlineValue(name, v)
		if cut {
			full = append(full, "*"+EscTrunc(label, 100)+"* in full:\n```"+strings.ReplaceAll(Escape(v), "```", "ˋˋˋ")+"```")
			return short + " (in full below)"
		}
		return short
	}
	elided := func(more func(int) string) func(int) string {
		return func(n int) string { whole = false; return more(n) }
	}
	if len(args) > 0 {
		var lines []string
		for _, k := range slices.Sorted(maps.Keys(args)) {
			lines = append(lines, "• *"+EscTrunc(k, 60)+"*: "+value(k, k, OrDash(args[k])))
		}
		blocks = append(blocks, PackLines(lines, 10, elided(func(n int) string { return fmt.Sprintf("…and %d more.", n) }))...)
	}
	if len(changes) > 0 {
		lines := make([]string, len(changes))
		for i, c := range changes {
			old, nu := "_(none)_", "_(deleted)_"
			if c.Old != "" {
				old = value(c.Name+" (now)", c.Name, c.Old)
			}
			if c.New != "" {
				nu = value(c.Name+" (new)", c.Name, c.New)
			}
			lines[i] = "• *" + EscTrunc(OrDash(c.Name), 60) + "*: " + old + " → " + nu
			if c.Verified {
				lines[i] += " (marked verified)"
			}
		}
		blocks = append(blocks, PackLines(lines, 10, elided(func(n int) string {
			return fmt.Sprintf("…and %d more changes not shown; all of them are made.", n)
		}))...)
	}
	total := 0
	for _, f := range full {
		total += utf8.RuneCountInString(f)
		if utf8.RuneCountInString(f) > maxTextLen || total > maxWholeText {
			whole = false
			break
		}
		blocks = append(blocks, SectionBlock(f))
	}
	return blocks, whole
}

// inlineValue is v as a change line shows it, and whether it was shortened.
// An email is shortened in its local part only: where mail goes is never cut.
func inlineValue(name, v string) (string, bool) {
	e := Escape(v)
	if utf8.RuneCountInString(e) <= maxChangeValue {
		return CodeSpan(e), false
	}
	if local, domain, ok := strings.Cut(v, "@"); ok && (name == "email" || !strings.Contains(domain, "@")) && utf8.RuneCountInString(Escape(domain)) <= 300 {
		return CodeSpan(EscTrunc(local, 20) + "@" + Escape(domain)), true
	}
	return CodeSpan(EscTrunc(v, maxChangeValue)), true
}

// DetailBlocks shows an action's arguments and changes as confirm and
// approval cards do (and a bulk job's dry run its arguments).
func DetailBlocks(args map[string]string, changes []ChangeView) []slack.Block {
	blocks, _ := details(args, changes)
	return blocks
}

// DetailsShowWhole reports whether confirm and approval cards can show every
// argument and change of a request whole; when not, the bot refuses it.
func DetailsShowWhole(args map[string]string, changes []ChangeView) bool {
	_, whole := details(args, changes)
	return whole
}

// ConfirmPrompt asks the requester to confirm a destructive action, with a
// Confirm (danger) and a Cancel button.
func ConfirmPrompt(p ConfirmView) Message {
	w := WordsFor(p.Words, p.Action)
	who := "*" + EscTrunc(OrDash(p.Username), 300) + "*"
	pool := "*" + EscTrunc(OrDash(p.Pool), 100) + "*"
	text := fmt.Sprintf("⚠️ You are about to *%s* %s in %s.", Escape(w.Verb), who, pool)
	if p.Detail != "" {
		text += "\n" + EscTrunc(p.Detail, 1000)
	}
	if p.Reason != "" {
		text += "\n*Reason:* " + p.Tickets.Reason(p.Reason, 2500)
	}
	blocks := append([]slack.Block{SectionBlock(text)}, DetailBlocks(p.Args, p.Changes)...)

	ctx := []string{"Requested by " + p.Requester.Mention()}
	if !p.Expires.IsZero() {
		ctx = append(ctx, "Expires "+DateToken(p.Expires))
	}
	blocks = append(blocks, callerCheckBlocks(p.CallerFacts)...)
	blocks = append(blocks,
		slack.NewActionBlock(blockIDConfirmActions,
			ViewButton(ActionIDConfirmYes, "Confirm", p.ID).WithStyle(slack.StyleDanger),
			ViewButton(ActionIDConfirmNo, "Cancel", p.ID),
		),
		ContextBlock(ctx...),
	)
	return Message{
		Text: FallbackText(fmt.Sprintf("Confirm: %s %s in %s?", Escape(w.Verb),
			EscTrunc(OrDash(p.Username), 300), EscTrunc(OrDash(p.Pool), 100))),
		Blocks: blocks,
	}
}
