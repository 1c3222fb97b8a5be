package slackemu_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// Inputs and selects that break Slack's limits are refused by views.open with
// invalid_arguments, as Slack does.
func TestViewsOpenRefusesBadInputs(t *testing.T) {
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
