package deskview

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
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
	Buttons []views.CardButton
	// Menu is every further action, in overflow menus of five. An overflow
	// menu has one confirm dialog for all its options, so the caller puts
	// there only actions that need none, or that ask for confirmation
	// themselves once chosen.
	Menu []MenuItem
	// Deletion, when set, says the user is scheduled for deletion (with Undo
	// when offered and the card is not public).
	Deletion *views.DeletionView
}

// UserCard renders one user like LookupCard, with the diagnosis line and the
// overflow menu. public=true shows neither buttons nor menu.
func UserCard(u views.UserView, pool views.PoolView, public bool, opts CardOptions) views.Message {
	m := views.LookupCard(u, pool, public, nil)
	var extra []slack.Block
	if opts.Diagnosis != nil {
		extra = append(extra, diagnosisBlock(*opts.Diagnosis))
	}
	if d := opts.Deletion; d != nil {
		if public {
			d = &views.DeletionView{At: d.At, RequestedBy: d.RequestedBy, ApprovedBy: d.ApprovedBy}
		}
		extra = append(extra, views.DeletionBlock(*d))
	}
	if !public {
		elems := views.CardButtons(u.Username, opts.Buttons)
		elems = append(elems, overflowMenus(opts.Menu)...)
		if len(elems) > 0 {
			extra = append(extra, slack.NewActionBlock(views.BlockIDCardActions, elems...))
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
	return views.SectionBlock(icon + " " + views.EscTrunc(views.OrDash(d.Sentence), 1000))
}

// overflowMenus splits items into overflow menus of at most five options.
func overflowMenus(items []MenuItem) []slack.BlockElement {
	var out []slack.BlockElement
	for i := 0; i < len(items) && len(out) < 5; i += maxOverflowOptions {
		chunk := items[i:min(i+maxOverflowOptions, len(items))]
		var opts []*slack.OptionBlockObject
		for _, it := range chunk {
			opts = append(opts, slack.NewOptionBlockObject(views.Truncate(it.Value, 150), views.PlainText(it.Label, 75), nil))
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
func WhyAnswer(username string, pool views.PoolView, d DiagnosisView, fix *views.CardButton) views.Message {
	blocks := []slack.Block{diagnosisBlock(d)}
	if fix != nil {
		if row := views.CardActionRow(username, []views.CardButton{*fix}); row != nil {
			blocks = append(blocks, row)
		}
	}
	blocks = append(blocks, views.ContextBlock("Pool "+pool.Label()+" · user *"+views.EscTrunc(views.OrDash(username), 200)+"*"))
	return views.Message{Text: views.FallbackText(views.EscTrunc(d.Sentence, 1000)), Blocks: blocks}
}

// EventView is one sign-in event.
type EventView struct {
	Time                                    time.Time
	Type, Result, IP, City, Country, Device string
}

// HistoryView is a user's recent sign-in events.
type HistoryView struct {
	Username string
	Pool     views.PoolView
	Events   []EventView
	// NoAddOn says the pool does not record sign-in events.
	NoAddOn bool
}

// SignInHistory lists the events, newest first, one line each, or says
// plainly that the pool does not record them.
func SignInHistory(h HistoryView) views.Message {
	name := views.EscTrunc(views.OrDash(h.Username), 200)
	head := views.SectionBlock("*Sign-in history of " + name + "* in " + h.Pool.Label())
	if h.NoAddOn {
		t := "Pool " + h.Pool.Label() + " does not record sign-in events: its threat protection add-on (Cognito's Plus tier) is not enabled, so there is no history to show."
		return views.Message{Text: views.FallbackText("No sign-in history for " + name), Blocks: []slack.Block{head, views.SectionBlock(t)}}
	}
	if len(h.Events) == 0 {
		return views.Message{Text: views.FallbackText("No sign-in events for " + name), Blocks: []slack.Block{head, views.SectionBlock("No sign-in events recorded yet.")}}
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
		where := views.EscTrunc(views.OrDash(e.IP), 60)
		if place := joinNonEmpty(e.City, e.Country); place != "" {
			where += " · " + views.EscTrunc(place, 120)
		}
		line := fmt.Sprintf("%s %s  *%s* %s  %s", icon, views.DateToken(e.Time), views.EscTrunc(views.OrDash(e.Type), 40), views.EscTrunc(e.Result, 20), where)
		if e.Device != "" {
			line += " · " + views.EscTrunc(e.Device, 120)
		}
		lines = append(lines, line)
	}
	blocks := append([]slack.Block{head}, views.PackLines(lines, 10, func(n int) string { return fmt.Sprintf("_…and %d more_", n) })...)
	return views.Message{Text: views.FallbackText(fmt.Sprintf("%d sign-in events for %s", len(h.Events), name)), Blocks: blocks}
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
func DevicesList(username string, pool views.PoolView, devices []DeviceView) views.Message {
	name := views.EscTrunc(views.OrDash(username), 200)
	blocks := []slack.Block{views.SectionBlock("*Devices of " + name + "* in " + pool.Label())}
	if len(devices) == 0 {
		blocks = append(blocks, views.SectionBlock("No remembered devices."))
	}
	for i, d := range devices {
		if i == maxDevicesShown {
			blocks = append(blocks, views.ContextBlock(fmt.Sprintf("_…and %d more_", len(devices)-i)))
			break
		}
		text := "*" + views.EscTrunc(views.OrDash(d.Name), 300) + "*\nLast used " + views.DateToken(d.LastUsed) + " from " + views.EscTrunc(views.OrDash(d.LastIP), 60)
		if d.Remembered != "" {
			text += " · " + views.EscTrunc(d.Remembered, 40)
		}
		var acc *slack.Accessory
		if d.ForgetValue != "" {
			btn := views.ViewButton(ActionIDDeviceForget, "Forget", d.ForgetValue).WithStyle(slack.StyleDanger)
			btn.WithConfirm(views.DangerConfirm("Forget this device of "+views.Truncate(username, 60)+"?",
				"Cognito forgets "+views.Truncate(views.OrDash(d.Name), 100)+"; the next sign-in from it asks for MFA again.", "Forget", "Cancel"))
			acc = slack.NewAccessory(btn)
		}
		blocks = append(blocks, slack.NewSectionBlock(views.MrkdwnText(text), nil, acc))
	}
	return views.Message{Text: views.FallbackText(fmt.Sprintf("%d devices of %s", len(devices), name)), Blocks: blocks}
}
