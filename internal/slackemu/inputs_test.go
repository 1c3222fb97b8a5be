package slackemu_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// Inputs and selects that break Slack's limits are refused by views.open with
// invalid_arguments, as Slack does.
func TestViewsOpenRefusesBadInputs(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	long := strings.Repeat("x", 151)
	cases := map[string]slack.BlockElement{
		"option value over 150": slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "a",
			slack.NewOptionBlockObject(long, plain("x"), nil)),
		"option text over 75": slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, "a",
			slack.NewOptionBlockObject("v", plain(strings.Repeat("y", 76)), nil)),
		"initial option not an option": func() slack.BlockElement {
			s := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "a", slack.NewOptionBlockObject("v", plain("V"), nil))
			s.InitialOption = slack.NewOptionBlockObject("w", plain("W"), nil)
			return s
		}(),
		"initial value over max_length": func() slack.BlockElement {
			e := slack.NewPlainTextInputBlockElement(nil, "a").WithMaxLength(3)
			e.InitialValue = "abcd"
			return e
		}(),
		"eleven checkboxes": slack.NewCheckboxGroupsBlockElement("a", func() []*slack.OptionBlockObject {
			var o []*slack.OptionBlockObject
			for i := range 11 {
				o = append(o, slack.NewOptionBlockObject(string(rune('a'+i)), plain("x"), nil))
			}
			return o
		}()...),
	}
	for name, el := range cases {
		v := createUserModal(true)
		v.Blocks.BlockSet = append(v.Blocks.BlockSet, slack.NewInputBlock("bad", plain("Bad"), nil, el))
		d := slash(t, srv, "create")
		if _, err := b.OpenView(d.TriggerID, v); slackErr(err) != "invalid_arguments" {
			t.Errorf("%s: views.open = %v, want invalid_arguments", name, err)
		}
	}
}

// An input the user leaves alone submits what it was prefilled with.
func TestSubmitKeepsInitialValues(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	v := createUserModal(true)
	name := slack.NewPlainTextInputBlockElement(nil, "name")
	name.InitialValue = "Alice"
	v.Blocks.BlockSet = append(v.Blocks.BlockSet, slack.NewInputBlock("name_block", plain("Name"), nil, name))
	d := slash(t, srv, "create")
	resp, err := b.OpenView(d.TriggerID, v)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SubmitView(testCtx(t), resp.ID, "U1", map[string]map[string]string{"username_block": {"username": "alice"}}); err != nil {
		t.Fatal(err)
	}
	evt := b.next(t, "interactive")
	cb := evt.Data.(slack.InteractionCallback)
	if got := cb.View.State.Values["name_block"]["name"].Value; got != "Alice" {
		t.Errorf("untouched input submitted %q, want its initial value", got)
	}
}

// choicesModal has one input of each option-taking kind and a datepicker.
func choicesModal() slack.ModalViewRequest {
	v := createUserModal(true)
	opt := func(value, text string) *slack.OptionBlockObject {
		return slack.NewOptionBlockObject(value, plain(text), nil)
	}
	boxes := slack.NewCheckboxGroupsBlockElement("boxes", opt("a,b", "A and B"), opt("c", "C"))
	multi := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plain("Groups"), "groups", opt("0", "admins"), opt("1", "support"), opt("2", "beta"))
	multi.InitialOptions = []*slack.OptionBlockObject{opt("1", "support")}
	two := 2
	multi.MaxSelectedItems = &two
	radio := slack.NewRadioButtonsBlockElement("radio", opt("x", "X"), opt("y", "Y"))
	date := slack.NewDatePickerBlockElement("date")
	date.InitialDate = "2025-03-01"
	for _, in := range []*slack.InputBlock{
		slack.NewInputBlock("boxes_block", plain("Boxes"), nil, boxes),
		slack.NewInputBlock("groups_block", plain("Groups"), nil, multi),
		slack.NewInputBlock("radio_block", plain("Radio"), nil, radio),
		slack.NewInputBlock("date_block", plain("Date"), nil, date),
	} {
		in.Optional = true
		v.Blocks.BlockSet = append(v.Blocks.BlockSet, in)
	}
	return v
}

// Each input takes the shape its element has in Slack's client: a list for
// checkboxes and multi-selects, one value for the rest. The wrong shape, a
// malformed date or too many choices deliver nothing.
func TestSubmitInputsTakesEachElementsShape(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	d := slash(t, srv, "create")
	resp, err := b.OpenView(d.TriggerID, choicesModal())
	if err != nil {
		t.Fatal(err)
	}
	user := map[string]slackemu.Input{"username": slackemu.Text("alice")}
	refused := map[string]map[string]map[string]slackemu.Input{
		"one value for checkboxes": {"username_block": user, "boxes_block": {"boxes": slackemu.Text("c")}},
		"a list for a text input":  {"username_block": {"username": slackemu.Chosen("alice")}},
		"a list for radio buttons": {"username_block": user, "radio_block": {"radio": slackemu.Chosen("x")}},
		"an unknown option":        {"username_block": user, "boxes_block": {"boxes": slackemu.Chosen("a")}},
		"more than max_selected":   {"username_block": user, "groups_block": {"groups": slackemu.Chosen("0", "1", "2")}},
		"the same option twice":    {"username_block": user, "groups_block": {"groups": slackemu.Chosen("0", "0")}},
		"a date not YYYY-MM-DD":    {"username_block": user, "date_block": {"date": slackemu.Text("1/3/2025")}},
		"an empty required input":  {"username_block": {"username": slackemu.Text("")}},
		"an input the view lacks":  {"username_block": user, "nope": {"x": slackemu.Chosen()}},
	}
	for name, inputs := range refused {
		if _, err := srv.SubmitInputs(testCtx(t), resp.ID, "U1", inputs); err == nil {
			t.Errorf("%s: submitted", name)
		}
	}
	var posted map[string]map[string]slackemu.Input
	if err := json.Unmarshal([]byte(`{"username_block":{"username":"alice"},"boxes_block":{"boxes":["a,b","c"]},"radio_block":{"radio":"y"}}`), &posted); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SubmitInputs(testCtx(t), resp.ID, "U1", posted); err != nil {
		t.Fatal(err)
	}
	cb := b.next(t, "interactive").Data.(slack.InteractionCallback)
	st := cb.View.State.Values
	var boxes []string
	for _, o := range st["boxes_block"]["boxes"].SelectedOptions {
		boxes = append(boxes, o.Value+"="+o.Text.Text)
	}
	var groups []string
	for _, o := range st["groups_block"]["groups"].SelectedOptions {
		groups = append(groups, o.Value)
	}
	if strings.Join(boxes, "|") != "a,b=A and B|c=C" {
		t.Errorf("checkboxes submitted %v, want both options with their texts", boxes)
	}
	if strings.Join(groups, "|") != "1" {
		t.Errorf("the untouched multi-select submitted %v, want its initial option", groups)
	}
	if got := st["radio_block"]["radio"].SelectedOption.Value; got != "y" {
		t.Errorf("radio buttons submitted %q", got)
	}
	if got := st["date_block"]["date"].SelectedDate; got != "2025-03-01" {
		t.Errorf("the untouched datepicker submitted %q, want its initial_date", got)
	}
}

func TestInputJSONIsAStringOrAListOfStrings(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{`3`, `null`, `{"a":1}`, `[1,2]`, `true`} {
		var in slackemu.Input
		if err := json.Unmarshal([]byte(bad), &in); err == nil {
			t.Errorf("%s decoded as an input", bad)
		}
	}
}
