package slackemu_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func TestChooseSendsTheRenderedOptionOnly(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Pool"), "pool",
		slack.NewOptionBlockObject("prod", plain("Prod"), nil), slack.NewOptionBlockObject("staging", plain("Staging"), nil))
	menu := slack.NewOverflowBlockElement("more", slack.NewOptionBlockObject("audit", plain("Audit"), nil))
	_, ts, err := b.PostMessage("C1", slack.MsgOptionBlocks(slack.NewActionBlock("a", sel, menu)))
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := srv.Message("C1", ts)

	if _, err := srv.Choose(testCtx(t), msg, "pool", "U1", "dev"); err == nil || !strings.Contains(err.Error(), "no option") {
		t.Errorf("an option the menu lacks was chosen: %v", err)
	}
	if _, err := srv.Choose(testCtx(t), msg, "nope", "U1", "prod"); err == nil {
		t.Error("a menu the message lacks was used")
	}
	if _, err := srv.Choose(testCtx(t), msg, "pool", "U1", "staging"); err != nil {
		t.Fatal(err)
	}
	evt := b.next(t, socketmode.EventTypeInteractive)
	var cb slack.InteractionCallback
	if err := json.Unmarshal(evt.Request.Payload, &cb); err != nil {
		t.Fatal(err)
	}
	a := cb.ActionCallback.BlockActions
	if len(a) != 1 || a[0].Type != "static_select" || a[0].SelectedOption.Value != "staging" || a[0].BlockID != "a" {
		t.Errorf("block_actions = %+v", a)
	}
	if _, err := srv.Choose(testCtx(t), msg, "more", "U1", "audit"); err != nil {
		t.Fatal(err)
	}
	evt = b.next(t, socketmode.EventTypeInteractive)
	var cb2 slack.InteractionCallback
	_ = json.Unmarshal(evt.Request.Payload, &cb2)
	if a := cb2.ActionCallback.BlockActions; len(a) != 1 || a[0].Type != "overflow" || a[0].SelectedOption.Value != "audit" {
		t.Errorf("overflow block_actions = %+v", a)
	}
}

func TestCloseViewTakesTheModalOffScreen(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	d := slash(t, srv, "create")
	resp, err := b.OpenView(d.TriggerID, createUserModal(true))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := srv.OpenView("U1"); !ok || v.ID != resp.ID {
		t.Fatalf("U1's open view = %+v, %v", v, ok)
	}
	if err := srv.CloseView(resp.ID, "U2"); err == nil {
		t.Error("another user closed U1's modal")
	}
	if err := srv.CloseView(resp.ID, "U1"); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.OpenView("U1"); ok {
		t.Error("the modal is still on screen after closing")
	}
	if _, err := srv.SubmitView(testCtx(t), resp.ID, "U1", map[string]map[string]string{"username_block": {"username": "x"}}); err == nil {
		t.Error("a closed modal was submitted")
	}
}
