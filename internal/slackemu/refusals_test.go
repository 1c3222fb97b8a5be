package slackemu_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// A test must not be able to do what a Slack user could not.
func TestClickRefusesWhatUsersCannotSee(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	api := srv.SlackClient()
	ctx := testCtx(t)

	ets, err := api.PostEphemeral("C1", "U1", slack.MsgOptionBlocks(confirmBlocks("t")...))
	if err != nil {
		t.Fatal(err)
	}
	eph, _ := srv.Message("C1", ets)
	if _, err := srv.Click(ctx, eph, "confirm_disable", "U2"); err == nil || !strings.Contains(err.Error(), "ephemeral") {
		t.Errorf("U2 clicked U1's ephemeral message: %v", err)
	}

	_, ts, err := api.PostMessage("C1", slack.MsgOptionBlocks(confirmBlocks("t")...))
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := srv.Message("C1", ts)
	if _, _, err := api.DeleteMessage("C1", ts); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Click(ctx, pub, "confirm_disable", "U2"); err == nil || !strings.Contains(err.Error(), "deleted") {
		t.Errorf("clicked a deleted message: %v", err)
	}
	if n := len(srv.Deliveries()); n != 0 {
		t.Errorf("%d envelopes sent for refused clicks", n)
	}
}

func TestViewSubmissionRefusals(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, func(c *socketmode.Client, evt socketmode.Event) {
		if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewSubmission {
			_ = c.Ack(*evt.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"not_an_input": "x"}))
			return
		}
		_ = c.Ack(*evt.Request)
	})
	d := slash(t, srv, "create")
	modal := createUserModal(true)
	input := slack.NewPlainTextInputBlockElement(plain("name"), "username")
	input.MaxLength = 5
	modal.Blocks.BlockSet[0] = slack.NewInputBlock("username_block", plain("Username"), nil, input)
	resp, err := b.OpenView(d.TriggerID, modal)
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	for name, values := range map[string]map[string]map[string]string{
		"too long":       {"username_block": {"username": "carolyn"}},
		"unknown input":  {"username_block": {"username": "carol"}, "nope": {"x": "y"}},
		"unknown option": {"username_block": {"username": "carol"}, "role_block": {"role": "root"}},
	} {
		if _, err := srv.SubmitView(ctx, resp.ID, "U1", values); err == nil {
			t.Errorf("%s: submission accepted", name)
		}
	}
	sub, err := srv.SubmitView(ctx, resp.ID, "U1", map[string]map[string]string{"username_block": {"username": "carol"}})
	if err != nil {
		t.Fatal(err)
	}
	if a := mustAck(t, srv, sub); !strings.Contains(a.Error, "not_an_input") {
		t.Errorf("errors for a non-input block not flagged: %+v", a)
	}
	if v, _ := srv.View(resp.ID); !v.Open || len(v.Errors) != 0 {
		t.Errorf("view after bad errors ack: open=%v errors=%v", v.Open, v.Errors)
	}
}
