package views

import (
	"fmt"
	"sort"
	"strings"

	"github.com/slack-go/slack"
)

// Action IDs of the user card's buttons: "card:" + the action name. The
// button's value is the caller's opaque CardButton.Value. Package bot routes
// clicks by ActionIDCardPrefix and reads the action name after it.
const (
	ActionIDCardPrefix        = "card:"
	actionIDCardDisable       = ActionIDCardPrefix + "disable"
	actionIDCardEnable        = ActionIDCardPrefix + "enable"
	actionIDCardResetPassword = ActionIDCardPrefix + "reset-password"
	actionIDCardRevoke        = ActionIDCardPrefix + "revoke"
	actionIDCardDelete        = ActionIDCardPrefix + "delete"

	// blockIDCardActions is the block_id of the card's button row.
	blockIDCardActions = "card_actions"
)

// CardButton is one button to show on a user card. The caller passes only the
// buttons the requester may use.
type CardButton struct {
	// Action is one of "disable", "enable", "reset-password", "revoke", "delete".
	Action string
	// Value is carried back in the button's value when it is clicked.
	Value string
}

// cardButtonSpec describes how each card action is rendered.
type cardButtonSpec struct {
	actionID string
	style    slack.Style
	// confirm is the confirm-dialog text; empty means no dialog.
	confirmTitle, confirmText, confirmButton string
}

var cardButtons = map[string]cardButtonSpec{
	"disable": {actionIDCardDisable, slack.StyleDanger,
		"Disable %s?", "%s will no longer be able to sign in.", "Disable"},
	"enable": {actionID: actionIDCardEnable, style: slack.StylePrimary},
	"reset-password": {actionIDCardResetPassword, slack.StyleDefault,
		"Reset password for %s?", "%s's current password stops working; they must set a new one before signing in again.", "Reset password"},
	"revoke": {actionIDCardRevoke, slack.StyleDefault,
		"Revoke sessions for %s?", "%s will be signed out everywhere and must sign in again.", "Revoke sessions"},
	"delete": {actionIDCardDelete, slack.StyleDanger,
		"Delete %s?", "%s will be permanently deleted from the user pool. This cannot be undone.", "Delete"},
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
		headerBlock(name),
		fieldsBlock(
			"*Email*\n"+contactField(email, u.EmailVerified),
			"*Phone*\n"+contactField(phone, u.PhoneVerified),
			"*Status*\n"+statusText(u.Status),
			"*Enabled*\n"+enabledText(u.Enabled),
			"*Created*\n"+dateToken(u.Created),
			"*Last modified*\n"+dateToken(u.Modified),
			"*Groups*\n"+groupsText(u.Groups, 1000),
			"*MFA*\n"+mfaText(u),
			"*Sub*\n"+codeSpan(escTrunc(orDash(u.Sub), 200)),
		),
	}
	if !public && len(u.Custom) > 0 {
		blocks = append(blocks, sectionBlock(customText(u.Custom)))
	}
	if row := cardActionRow(u.Username, buttons); row != nil {
		blocks = append(blocks, row)
	}
	ctx := []string{"Pool " + pool.label() + " · " + codeSpan(escTrunc(orDash(pool.ID), 100))}
	if public {
		ctx = append(ctx, "🔒 Contact details masked")
	}
	blocks = append(blocks, contextBlock(ctx...))
	return Message{
		Text:   fallbackText(fmt.Sprintf("User %s in %s", escTrunc(name, 300), pool.plainName())),
		Blocks: blocks,
	}
}

// cardActionRow builds the card's button row, or nil when no button applies.
func cardActionRow(username string, buttons []CardButton) slack.Block {
	var elems []slack.BlockElement
	seen := map[string]bool{}
	who := Truncate(username, 60)
	for _, b := range buttons {
		spec, ok := cardButtons[b.Action]
		if !ok || seen[b.Action] {
			continue
		}
		seen[b.Action] = true
		btn := viewButton(spec.actionID, wordsFor(b.Action).Button, b.Value).WithStyle(spec.style)
		if spec.confirmTitle != "" {
			btn.WithConfirm(dangerConfirm(
				fmt.Sprintf(spec.confirmTitle, who),
				fmt.Sprintf(spec.confirmText, who),
				spec.confirmButton, "Cancel"))
		}
		elems = append(elems, btn)
	}
	if len(elems) == 0 {
		return nil
	}
	return slack.NewActionBlock(blockIDCardActions, elems...)
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
	return escTrunc(value, 300) + " · " + flag
}

// statusText shows a Cognito status in a code span.
func statusText(status string) string {
	if status == "" {
		return "—"
	}
	return codeSpan(escTrunc(status, 100))
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
		parts = append(parts, "Preferred: "+codeSpan(escTrunc(u.PreferredMFA, 100)))
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
		line := codeSpan(escTrunc(k, 60)) + "  " + escTrunc(orDash(custom[k]), 200)
		if used+1+len([]rune(line)) > maxTextLen-40 {
			lines = append(lines, fmt.Sprintf("_…and %d more_", len(keys)-i))
			break
		}
		lines = append(lines, line)
		used += 1 + len([]rune(line))
	}
	return strings.Join(lines, "\n")
}

// orDash returns s, or "—" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
