package views

import (
	"fmt"
	"sort"
	"strings"

	"github.com/slack-go/slack"
)

// ActionIDCardPrefix starts the action_id of every card button: "card:" + the
// action name. Package bot routes clicks by it and reads the action after it.
const ActionIDCardPrefix = "card:"

// CardAction is the action a card button's action_id names ("card:verify#2"
// is verify), and whether it is a card button at all.
func CardAction(actionID string) (string, bool) {
	rest, ok := strings.CutPrefix(actionID, ActionIDCardPrefix)
	if !ok {
		return "", false
	}
	action, _, _ := strings.Cut(rest, "#")
	return action, true
}

// BlockIDCardActions is the block_id of the card's button row.
const BlockIDCardActions = "card_actions"

// CardButton is one button to show on a user card. The caller passes only the
// buttons the requester may use, worded from the action table.
type CardButton struct {
	// Action is the action's name; it makes the button's action_id.
	Action string
	// Words label the button and its confirm dialog.
	Words Words
	// Style is "danger", "primary" or "" (default).
	Style string
	// Confirm is what the confirm dialog says will happen; "" means no dialog.
	Confirm string
	// Value is carried back in the button's value when it is clicked.
	Value string
}

// LookupCard renders one user. public=true masks the email and phone and
// leaves out custom attributes, for replies others can see. Only the given
// buttons are shown, in the order given; unknown actions are skipped.
func LookupCard(u UserView, pool PoolView, public bool, buttons []CardButton) Message {
	name := u.Username
	if name == "" {
		name = "(no username)"
	}
	email, phone := u.Email, u.Phone
	if public {
		email, phone = maskEmail(email), maskPhone(phone)
	}
	blocks := []slack.Block{
		HeaderBlock(name),
		fieldsBlock(
			"*Email*\n"+contactField(email, u.EmailVerified),
			"*Phone*\n"+contactField(phone, u.PhoneVerified),
			"*Status*\n"+statusText(u.Status),
			"*Enabled*\n"+enabledText(u.Enabled),
			"*Created*\n"+DateToken(u.Created),
			"*Last modified*\n"+DateToken(u.Modified),
			"*Groups*\n"+groupsText(u.Groups, 1000),
			"*MFA*\n"+mfaText(u),
			"*Sub*\n"+CodeSpan(EscTrunc(OrDash(u.Sub), 200)),
		),
	}
	if !public && len(u.Custom) > 0 {
		blocks = append(blocks, SectionBlock(customText(u.Custom)))
	}
	if row := CardActionRow(u.Username, buttons); row != nil {
		blocks = append(blocks, row)
	}
	ctx := []string{"Pool " + pool.Label() + " · " + CodeSpan(EscTrunc(OrDash(pool.ID), 100))}
	if public {
		ctx = append(ctx, "🔒 Contact details masked")
	}
	blocks = append(blocks, ContextBlock(ctx...))
	return Message{
		Text:   FallbackText(fmt.Sprintf("User %s in %s", EscTrunc(name, 300), pool.PlainName())),
		Blocks: blocks,
	}
}

// CardActionRow builds the card's button row, or nil when no button applies.
func CardActionRow(username string, buttons []CardButton) slack.Block {
	elems := CardButtons(username, buttons)
	if len(elems) == 0 {
		return nil
	}
	return slack.NewActionBlock(BlockIDCardActions, elems...)
}

// CardButtons builds the card's buttons, each action and label once, with a
// confirm dialog where one is asked for. Two buttons of one action (Verify
// email, Verify phone) get distinct action_ids, as Slack requires in a block:
// the second is "card:verify#2", which CardAction reads back as verify.
func CardButtons(username string, buttons []CardButton) []slack.BlockElement {
	var elems []slack.BlockElement
	seen := map[string]int{}
	shown := map[[2]string]bool{}
	who := Truncate(username, 60)
	for _, b := range buttons {
		w := WordsFor(b.Words, b.Action)
		if b.Action == "" || shown[[2]string{b.Action, w.Button}] {
			continue
		}
		shown[[2]string{b.Action, w.Button}] = true
		seen[b.Action]++
		id := ActionIDCardPrefix + Truncate(b.Action, 40)
		if n := seen[b.Action]; n > 1 {
			id += fmt.Sprintf("#%d", n)
		}
		btn := ViewButton(id, w.Button, b.Value).WithStyle(slack.Style(b.Style))
		if b.Confirm != "" {
			btn.WithConfirm(DangerConfirm(Capitalize(w.Verb)+" "+who+"?", b.Confirm, w.Button, "Cancel"))
		}
		elems = append(elems, btn)
	}
	return elems
}

// contactField is an email or phone (escaped) with its verification flag.
func contactField(value string, verified bool) string {
	if value == "" {
		return "—"
	}
	flag := "_unverified_"
	if verified {
		flag = "_verified_"
	}
	return EscTrunc(value, 300) + " · " + flag
}

// statusText shows a Cognito status in a code span.
func statusText(status string) string {
	if status == "" {
		return "—"
	}
	return CodeSpan(EscTrunc(status, 100))
}

// enabledText shows whether the user may sign in.
func enabledText(enabled bool) string {
	if enabled {
		return "✅ Enabled"
	}
	return "🚫 Disabled"
}

// groupsText lists groups sorted, escaped and within max runes.
func groupsText(groups []string, max int) string {
	if len(groups) == 0 {
		return "None"
	}
	sorted := append([]string(nil), groups...)
	sort.Strings(sorted)
	return joinLimited(sorted, ", ", 100, max)
}

// mfaText shows the preferred MFA method and the ones set up.
func mfaText(u UserView) string {
	if len(u.MFAMethods) == 0 && u.PreferredMFA == "" {
		return "None"
	}
	var parts []string
	if u.PreferredMFA != "" {
		parts = append(parts, "Preferred: "+CodeSpan(EscTrunc(u.PreferredMFA, 100)))
	}
	if len(u.MFAMethods) > 0 {
		parts = append(parts, "Set up: "+joinLimited(u.MFAMethods, ", ", 100, 1500))
	}
	return strings.Join(parts, "\n")
}

// customText lists custom attributes sorted by name, shortened to fit one
// section.
func customText(custom map[string]string) string {
	keys := make([]string, 0, len(custom))
	for k := range custom {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := []string{"*Custom attributes*"}
	used := len(lines[0])
	for i, k := range keys {
		line := CodeSpan(EscTrunc(k, 60)) + "  " + EscTrunc(OrDash(custom[k]), 200)
		if used+1+len([]rune(line)) > maxTextLen-40 {
			lines = append(lines, fmt.Sprintf("_…and %d more_", len(keys)-i))
			break
		}
		lines = append(lines, line)
		used += 1 + len([]rune(line))
	}
	return strings.Join(lines, "\n")
}

// OrDash returns s, or "—" when it is empty.
func OrDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// MaskEmail hides most of an email's local part (a***@example.com), for
// sentences the bot builds about where a code went, and for the caller check,
// where it is what an honest caller knows of their email.
func MaskEmail(email string) string { return maskEmail(email) }

// MaskPhone hides the middle digits of a phone number (+1******0100).
func MaskPhone(phone string) string { return maskPhone(phone) }
