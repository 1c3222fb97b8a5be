package views

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"
)

// Action ids of the desk views' elements.
const (
	// ActionIDCardMenu is the lookup card's overflow menu; each option's value
	// is an opaque session id naming the exact user and the action.
	ActionIDCardMenu = "card:menu"
	// ActionIDDeviceForget is a device's Forget button on the devices view.
	ActionIDDeviceForget = "device:forget"
)

// maxOverflowOptions is Block Kit's limit on one overflow menu.
const maxOverflowOptions = 5

// maxDevicesShown keeps the devices view within the 50-block limit.
const maxDevicesShown = 20

// DiagnosisView is one sentence on why a user can or cannot sign in.
type DiagnosisView struct {
	// Sentence is plain text; it is escaped here.
	Sentence string
	// Blocked shows 🚫 instead of ✅.
	Blocked bool
}

// MenuItem is one option of the card's overflow menu.
type MenuItem struct {
	// Label is the option text (plain, cut to 75 characters).
	Label string
	// Value is the opaque value sent back when chosen.
	Value string
}

// CardOptions are what a lookup card offers besides the user's details.
type CardOptions struct {
	// Diagnosis, when set, is shown under the details.
	Diagnosis *DiagnosisView
	// Buttons are the few actions shown as buttons, in order.
	Buttons []CardButton
	// Menu is every further action, in overflow menus of five. An overflow
	// menu has one confirm dialog for all its options, so the caller puts
	// there only actions that need none, or that ask for confirmation
	// themselves once chosen.
	Menu []MenuItem
	// Deletion, when set, says the user is scheduled for deletion (with Undo
	// when offered and the card is not public).
	Deletion *DeletionView
}

// UserCard renders one user like LookupCard, with the diagnosis line and the
// overflow menu. public=true shows neither buttons nor menu.
func UserCard(u UserView, pool PoolView, public bool, opts CardOptions) Message {
	m := LookupCard(u, pool, public, nil)
	var extra []slack.Block
	if opts.Diagnosis != nil {
		extra = append(extra, diagnosisBlock(*opts.Diagnosis))
	}
	if d := opts.Deletion; d != nil {
		if public {
			d = &DeletionView{At: d.At, RequestedBy: d.RequestedBy, ApprovedBy: d.ApprovedBy}
		}
		extra = append(extra, deletionBlock(*d))
	}
	if !public {
		elems := cardButtons(u.Username, opts.Buttons)
		elems = append(elems, overflowMenus(opts.Menu)...)
		if len(elems) > 0 {
			extra = append(extra, slack.NewActionBlock(blockIDCardActions, elems...))
		}
	}
	// The card ends with its context line; the extras go before it.
	last := len(m.Blocks) - 1
	blocks := append(append(append([]slack.Block{}, m.Blocks[:last]...), extra...), m.Blocks[last])
	m.Blocks = blocks
	return m
}

func diagnosisBlock(d DiagnosisView) slack.Block {
	icon := "✅"
	if d.Blocked {
		icon = "🚫"
	}
	return sectionBlock(icon + " " + escTrunc(orDash(d.Sentence), 1000))
}

// overflowMenus splits items into overflow menus of at most five options.
func overflowMenus(items []MenuItem) []slack.BlockElement {
	var out []slack.BlockElement
	for i := 0; i < len(items) && len(out) < 5; i += maxOverflowOptions {
		chunk := items[i:min(i+maxOverflowOptions, len(items))]
		var opts []*slack.OptionBlockObject
		for _, it := range chunk {
			opts = append(opts, slack.NewOptionBlockObject(Truncate(it.Value, 150), plainText(it.Label, 75), nil))
		}
		id := ActionIDCardMenu
		if i > 0 {
			id = fmt.Sprintf("%s:%d", ActionIDCardMenu, i/maxOverflowOptions)
		}
		out = append(out, slack.NewOverflowBlockElement(id, opts...))
	}
	return out
}

// WhyAnswer is the answer to `why`: the diagnosis and the one button that
// fixes it (nil for none).
func WhyAnswer(username string, pool PoolView, d DiagnosisView, fix *CardButton) Message {
	blocks := []slack.Block{diagnosisBlock(d)}
	if fix != nil {
		if row := cardActionRow(username, []CardButton{*fix}); row != nil {
			blocks = append(blocks, row)
		}
	}
	blocks = append(blocks, contextBlock("Pool "+pool.label()+" · user *"+escTrunc(orDash(username), 200)+"*"))
	return Message{Text: fallbackText(escTrunc(d.Sentence, 1000)), Blocks: blocks}
}

// EventView is one sign-in event.
type EventView struct {
	Time                                    time.Time
	Type, Result, IP, City, Country, Device string
}

// HistoryView is a user's recent sign-in events.
type HistoryView struct {
	Username string
	Pool     PoolView
	Events   []EventView
	// NoAddOn says the pool does not record sign-in events.
	NoAddOn bool
}

// SignInHistory lists the events, newest first, one line each, or says
// plainly that the pool does not record them.
func SignInHistory(h HistoryView) Message {
	name := escTrunc(orDash(h.Username), 200)
	head := sectionBlock("*Sign-in history of " + name + "* in " + h.Pool.label())
	if h.NoAddOn {
		t := "Pool " + h.Pool.label() + " does not record sign-in events: its threat protection add-on (Cognito's Plus tier) is not enabled, so there is no history to show."
		return Message{Text: fallbackText("No sign-in history for " + name), Blocks: []slack.Block{head, sectionBlock(t)}}
	}
	if len(h.Events) == 0 {
		return Message{Text: fallbackText("No sign-in events for " + name), Blocks: []slack.Block{head, sectionBlock("No sign-in events recorded yet.")}}
	}
	var lines []string
	for _, e := range h.Events {
		icon := "•"
		switch e.Result {
		case "Pass":
			icon = "✅"
		case "Fail":
			icon = "❌"
		}
		where := escTrunc(orDash(e.IP), 60)
		if place := joinNonEmpty(e.City, e.Country); place != "" {
			where += " · " + escTrunc(place, 120)
		}
		line := fmt.Sprintf("%s %s  *%s* %s  %s", icon, dateToken(e.Time), escTrunc(orDash(e.Type), 40), escTrunc(e.Result, 20), where)
		if e.Device != "" {
			line += " · " + escTrunc(e.Device, 120)
		}
		lines = append(lines, line)
	}
	blocks := append([]slack.Block{head}, packLines(lines, 10, func(n int) string { return fmt.Sprintf("_…and %d more_", n) })...)
	return Message{Text: fallbackText(fmt.Sprintf("%d sign-in events for %s", len(h.Events), name)), Blocks: blocks}
}

func joinNonEmpty(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += p
	}
	return out
}

// DeviceView is one remembered device with its Forget button's value.
type DeviceView struct {
	Name, LastIP, Remembered string
	LastUsed                 time.Time
	// ForgetValue is the opaque session id of the Forget button; "" shows none.
	ForgetValue string
}

// DevicesList shows a user's devices, each with a Forget button behind a
// confirm dialog.
func DevicesList(username string, pool PoolView, devices []DeviceView) Message {
	name := escTrunc(orDash(username), 200)
	blocks := []slack.Block{sectionBlock("*Devices of " + name + "* in " + pool.label())}
	if len(devices) == 0 {
		blocks = append(blocks, sectionBlock("No remembered devices."))
	}
	for i, d := range devices {
		if i == maxDevicesShown {
			blocks = append(blocks, contextBlock(fmt.Sprintf("_…and %d more_", len(devices)-i)))
			break
		}
		text := "*" + escTrunc(orDash(d.Name), 300) + "*\nLast used " + dateToken(d.LastUsed) + " from " + escTrunc(orDash(d.LastIP), 60)
		if d.Remembered != "" {
			text += " · " + escTrunc(d.Remembered, 40)
		}
		var acc *slack.Accessory
		if d.ForgetValue != "" {
			btn := viewButton(ActionIDDeviceForget, "Forget", d.ForgetValue).WithStyle(slack.StyleDanger)
			btn.WithConfirm(dangerConfirm("Forget this device of "+Truncate(username, 60)+"?",
				"Cognito forgets "+Truncate(orDash(d.Name), 100)+"; the next sign-in from it asks for MFA again.", "Forget", "Cancel"))
			acc = slack.NewAccessory(btn)
		}
		blocks = append(blocks, slack.NewSectionBlock(mdText(text), nil, acc))
	}
	return Message{Text: fallbackText(fmt.Sprintf("%d devices of %s", len(devices), name)), Blocks: blocks}
}
