package slackemu_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

// createUserModal has a required text input and an optional select.
func createUserModal(withSubmit bool) slack.ModalViewRequest {
	role := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Role"), "role",
		slack.NewOptionBlockObject("user", plain("User"), nil),
		slack.NewOptionBlockObject("admin", plain("Admin"), nil))
	roleInput := slack.NewInputBlock("role_block", plain("Role"), nil, role)
	roleInput.Optional = true
	v := slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain("Create user"),
		Close:           plain("Cancel"),
		CallbackID:      "create_user",
		PrivateMetadata: "pm-1",
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("username_block", plain("Username"), nil, slack.NewPlainTextInputBlockElement(plain("alice"), "username")),
			roleInput,
		}},
	}
	if withSubmit {
		v.Submit = plain("Create")
	}
	return v
}

func TestViewsOpenTriggerRules(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newServer(t, slackemu.Options{Now: clock.Now})
	b := startBot(t, srv, ackEmpty)

	d := slash(t, srv, "create")
	resp, err := b.OpenView(d.TriggerID, createUserModal(true))
	if err != nil {
		t.Fatalf("views.open: %v", err)
	}
	views := srv.Views()
	if len(views) != 1 || views[0].ID != resp.ID || !views[0].Open || views[0].UserID != "U1" || views[0].CallbackID != "create_user" {
		t.Errorf("views = %+v, response id %q", views, resp.ID)
	}
	if _, err := b.OpenView(d.TriggerID, createUserModal(true)); slackErr(err) != "exchanged_trigger_id" {
		t.Errorf("reused trigger = %v", err)
	}

	d2 := slash(t, srv, "create")
	clock.Advance(3*time.Second + time.Millisecond)
	if _, err := b.OpenView(d2.TriggerID, createUserModal(true)); slackErr(err) != "expired_trigger_id" {
		t.Errorf("trigger after 3 s = %v", err)
	}
	if _, err := b.OpenView("1.2.deadbeef", createUserModal(true)); slackErr(err) != "invalid_trigger_id" {
		t.Errorf("made-up trigger = %v", err)
	}

	d3 := slash(t, srv, "create")
	if _, err := b.OpenView(d3.TriggerID, createUserModal(false)); slackErr(err) != "invalid_arguments" {
		t.Errorf("input blocks without submit = %v", err)
	}
	if _, err := b.OpenView(d3.TriggerID, createUserModal(true)); err != nil {
		t.Errorf("trigger consumed by a refused views.open: %v", err)
	}
}

func TestViewSubmission(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	var submissions atomic.Int32
	b := startBot(t, srv, func(c *socketmode.Client, evt socketmode.Event) {
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || cb.Type != slack.InteractionTypeViewSubmission {
			_ = c.Ack(*evt.Request)
			return
		}
		if submissions.Add(1) == 1 {
			_ = c.Ack(*evt.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"username_block": "already exists"}))
			return
		}
		_ = c.Ack(*evt.Request)
	})
	d := slash(t, srv, "create")
	resp, err := b.OpenView(d.TriggerID, createUserModal(true))
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	if _, err := srv.SubmitView(ctx, resp.ID, "U1", map[string]map[string]string{"role_block": {"role": "admin"}}); err == nil {
		t.Error("submitted without the required username")
	}
	if _, err := srv.SubmitView(ctx, resp.ID, "U2", map[string]map[string]string{"username_block": {"username": "carol"}}); err == nil {
		t.Error("another user submitted the modal")
	}

	values := map[string]map[string]string{"username_block": {"username": "carol"}, "role_block": {"role": "admin"}}
	sub, err := srv.SubmitView(ctx, resp.ID, "U1", values)
	if err != nil {
		t.Fatal(err)
	}
	evt := b.next(t, socketmode.EventTypeInteractive)
	cb := evt.Data.(slack.InteractionCallback)
	st := cb.View.State
	if cb.Type != slack.InteractionTypeViewSubmission || cb.User.ID != "U1" || cb.TriggerID == "" ||
		cb.View.ID != resp.ID || cb.View.CallbackID != "create_user" || cb.View.PrivateMetadata != "pm-1" ||
		st == nil || st.Values["username_block"]["username"].Value != "carol" ||
		st.Values["role_block"]["role"].SelectedOption.Value != "admin" || !evt.Request.AcceptsResponsePayload {
		t.Errorf("view_submission = %+v, state %+v", cb, st)
	}
	mustAck(t, srv, sub)
	if v, _ := srv.View(resp.ID); !v.Open || v.Errors["username_block"] != "already exists" {
		t.Errorf("after errors ack: open=%v errors=%v", v.Open, v.Errors)
	}

	sub2, err := srv.SubmitView(ctx, resp.ID, "U1", values)
	if err != nil {
		t.Fatal(err)
	}
	mustAck(t, srv, sub2)
	if v, _ := srv.View(resp.ID); v.Open {
		t.Error("empty ack did not close the modal")
	}
}

func TestViewsUpdateAndResponseActions(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	var n atomic.Int32
	b := startBot(t, srv, func(c *socketmode.Client, evt socketmode.Event) {
		cb, _ := evt.Data.(slack.InteractionCallback)
		if cb.Type != slack.InteractionTypeViewSubmission {
			_ = c.Ack(*evt.Request)
			return
		}
		done := createUserModal(true)
		done.Blocks = slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(plain("Done"), nil, nil)}}
		switch n.Add(1) {
		case 1:
			_ = c.Ack(*evt.Request, slack.NewUpdateViewSubmissionResponse(&done))
		case 2:
			_ = c.Ack(*evt.Request, slack.NewPushViewSubmissionResponse(&done))
		default:
			_ = c.Ack(*evt.Request, slack.NewClearViewSubmissionResponse())
		}
	})
	d := slash(t, srv, "create")
	resp, err := b.OpenView(d.TriggerID, createUserModal(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.UpdateView(createUserModal(true), "", "stale-hash", resp.ID); slackErr(err) != "hash_conflict" {
		t.Errorf("views.update with stale hash = %v", err)
	}
	if upd, err := b.UpdateView(createUserModal(true), "", resp.Hash, resp.ID); err != nil || upd.ID != resp.ID {
		t.Fatalf("views.update = %v", err)
	}
	ctx := testCtx(t)
	submit := func(viewID string, values map[string]map[string]string) {
		t.Helper()
		sub, err := srv.SubmitView(ctx, viewID, "U1", values)
		if err != nil {
			t.Fatal(err)
		}
		if a := mustAck(t, srv, sub); a.Error != "" {
			t.Errorf("ack refused: %s", a.Error)
		}
	}

	submit(resp.ID, map[string]map[string]string{"username_block": {"username": "carol"}}) // → update
	if v, _ := srv.View(resp.ID); !v.Open || v.Updates != 2 || v.RenderedText() != "Done" {
		t.Errorf("after update ack: open=%v updates=%d text=%q", v.Open, v.Updates, v.RenderedText())
	}
	submit(resp.ID, nil) // → push
	views := srv.Views()
	if len(views) != 2 || !views[0].Open || !views[1].Open || views[1].PreviousViewID != resp.ID || views[1].RootViewID != resp.ID {
		t.Fatalf("after push ack: %+v", views)
	}
	if _, err := srv.SubmitView(ctx, resp.ID, "U1", nil); err == nil {
		t.Error("submitted the view under the pushed one")
	}
	submit(views[1].ID, nil) // → clear
	for _, v := range srv.Views() {
		if v.Open {
			t.Errorf("view %s still open after clear", v.ID)
		}
	}
}
