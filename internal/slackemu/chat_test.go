package slackemu_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// ackWith acks slash commands with payload and everything else empty.
func ackWith(payload any) handler {
	return func(c *socketmode.Client, evt socketmode.Event) {
		if evt.Type == socketmode.EventTypeSlashCommand {
			_ = c.Ack(*evt.Request, payload)
			return
		}
		_ = c.Ack(*evt.Request)
	}
}

func TestSlashCommandParsedAndAckBecomesEphemeral(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	srv.AddUser("U1", "alice", "Alice Liddell")
	srv.SetChannelName("C1", "ops")
	b := startBot(t, srv, ackWith(map[string]any{"text": "Usage", "blocks": confirmBlocks("tok")}))

	d := slash(t, srv, "lookup <alice> & co")
	evt := b.next(t, socketmode.EventTypeSlashCommand)
	cmd, ok := evt.Data.(slack.SlashCommand)
	if !ok {
		t.Fatalf("event data is %T, want slack.SlashCommand", evt.Data)
	}
	want := slack.SlashCommand{
		Token: cmd.Token, TeamID: srv.TeamID(), TeamDomain: "emulator", ChannelID: "C1", ChannelName: "ops",
		UserID: "U1", UserName: "alice", Command: "/cognito", Text: "lookup <alice> & co",
		ResponseURL: d.ResponseURL, TriggerID: d.TriggerID, APIAppID: cmd.APIAppID,
	}
	if cmd != want || cmd.TriggerID == "" || cmd.ResponseURL == "" || !evt.Request.AcceptsResponsePayload {
		t.Errorf("slash command = %+v\nwant %+v", cmd, want)
	}

	ctx := testCtx(t)
	m, err := srv.WaitMessage(ctx, func(m slackemu.Message) bool { return m.Source == slackemu.SourceSlashAck })
	if err != nil {
		t.Fatal(err)
	}
	if !m.Ephemeral || m.User != "U1" || m.Channel != "C1" || m.Text != "Usage" || len(m.Buttons()) != 2 {
		t.Errorf("ack message = %+v", m)
	}
	if len(srv.Visible("C1", "U2")) != 0 || len(srv.Visible("C1", "U1")) != 1 {
		t.Errorf("ephemeral reply visible to the wrong users")
	}
	if !strings.Contains(m.RenderedText(), "Disable *alice*?") {
		t.Errorf("rendered text %q", m.RenderedText())
	}
}

func TestSlashCommandInChannelAck(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	startBot(t, srv, ackWith(map[string]any{"response_type": "in_channel", "text": "alice is enabled"}))
	slash(t, srv, "lookup alice")
	m, err := srv.WaitMessage(testCtx(t), func(m slackemu.Message) bool { return m.Text == "alice is enabled" })
	if err != nil {
		t.Fatal(err)
	}
	if m.Ephemeral || len(srv.Visible("C1", "U2")) != 1 {
		t.Errorf("in_channel reply not public: %+v", m)
	}
}

func TestClickButtonInPostedMessage(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	srv.AddUser("U2", "bob", "Bob")
	b := startBot(t, srv, ackEmpty)
	ch, ts, err := b.PostMessage("C1", slack.MsgOptionText("Disable alice?", false), slack.MsgOptionBlocks(confirmBlocks("tok-123")...))
	if err != nil {
		t.Fatal(err)
	}
	msg, ok := srv.Message(ch, ts)
	if !ok || msg.Ephemeral || msg.Author != srv.BotUserID() {
		t.Fatalf("posted message = %+v, %v", msg, ok)
	}
	ctx := testCtx(t)
	if _, err := srv.Click(ctx, msg, "not_rendered", "U2"); err == nil {
		t.Error("clicking a button that is not rendered succeeded")
	}

	d, err := srv.Click(ctx, msg, "confirm_disable", "U2")
	if err != nil {
		t.Fatal(err)
	}
	evt := b.next(t, socketmode.EventTypeInteractive)
	cb := evt.Data.(slack.InteractionCallback)
	if cb.Type != slack.InteractionTypeBlockActions || cb.User.ID != "U2" || cb.User.Name != "bob" ||
		cb.User.TeamID != srv.TeamID() || cb.Team.ID != srv.TeamID() || cb.Channel.ID != "C1" {
		t.Errorf("who/where = type %q user %+v team %+v channel %q", cb.Type, cb.User, cb.Team, cb.Channel.ID)
	}
	if cb.Container.Type != "message" || cb.Container.MessageTs != ts || cb.Container.ChannelID != "C1" || cb.Container.IsEphemeral {
		t.Errorf("container = %+v", cb.Container)
	}
	if cb.Message.Timestamp != ts || len(cb.Message.Blocks.BlockSet) != 2 || cb.Message.BotID == "" {
		t.Errorf("message = ts %q, %d blocks", cb.Message.Timestamp, len(cb.Message.Blocks.BlockSet))
	}
	acts := cb.ActionCallback.BlockActions
	if len(acts) != 1 || acts[0].ActionID != "confirm_disable" || acts[0].BlockID != "confirm_block" ||
		acts[0].Value != "tok-123" || acts[0].Type != "button" || acts[0].ActionTs == "" {
		t.Errorf("actions = %+v", acts)
	}
	if cb.ResponseURL != d.ResponseURL || cb.TriggerID != d.TriggerID || cb.TriggerID == "" {
		t.Errorf("follow-ups = %q %q", cb.ResponseURL, cb.TriggerID)
	}
	if evt.Request.AcceptsResponsePayload {
		t.Error("block_actions envelope accepts a response payload")
	}
	mustAck(t, srv, d)

	// Slack fills in the block_id the bot left out, and the payload uses it.
	if btns := msg.Buttons(); btns[0].BlockID != "confirm_block" || msg.SlackBlocks.BlockSet[0].ID() == "" {
		t.Errorf("block ids not filled: %+v", btns)
	}
}

func TestForgedBlockAction(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	_, err := srv.BlockAction(testCtx(t), slackemu.BlockActionSpec{
		UserID: "U9", ChannelID: "C1", MessageTS: "1.000001", Ephemeral: true,
		ActionID: "confirm_disable", BlockID: "confirm_block", Value: "forged",
	})
	if err != nil {
		t.Fatal(err)
	}
	cb := b.next(t, socketmode.EventTypeInteractive).Data.(slack.InteractionCallback)
	if v := cb.ActionCallback.BlockActions[0].Value; v != "forged" || !cb.Container.IsEphemeral || cb.Message.Timestamp != "" {
		t.Errorf("forged action = value %q container %+v", v, cb.Container)
	}
}

func TestChatUpdate(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	ctx := testCtx(t)

	ets, err := b.PostEphemeral("C1", "U1", slack.MsgOptionText("secret", false))
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := srv.Message("C1", ets); !m.Ephemeral || m.User != "U1" {
		t.Errorf("ephemeral = %+v", m)
	}
	if _, _, _, err := b.UpdateMessage("C1", ets, slack.MsgOptionText("edited", false)); slackErr(err) != "message_not_found" {
		t.Errorf("chat.update of an ephemeral = %v, want message_not_found", err)
	}
	if _, _, _, err := b.UpdateMessage("C1", "123.456", slack.MsgOptionText("x", false)); slackErr(err) != "message_not_found" {
		t.Errorf("chat.update of unknown ts = %v, want message_not_found", err)
	}

	_, ts, err := b.PostMessage("C1", slack.MsgOptionText("v1", false), slack.MsgOptionBlocks(confirmBlocks("t")...))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	var updated slackemu.Message
	go func() {
		defer wg.Done()
		updated, _ = srv.WaitMessage(ctx, func(m slackemu.Message) bool { return m.TS == ts && m.Updated > 0 })
	}()
	if _, _, _, err := b.UpdateMessage("C1", ts, slack.MsgOptionText("v2", false)); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if updated.Text != "v2" || len(updated.Buttons()) != 2 {
		t.Errorf("updated = %+v (omitted blocks must be kept)", updated)
	}
	if _, _, err := b.DeleteMessage("C1", ts); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := b.UpdateMessage("C1", ts, slack.MsgOptionText("v3", false)); slackErr(err) != "message_not_found" {
		t.Errorf("chat.update of a deleted message = %v", err)
	}
}

func TestPostMessageValidation(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	api := srv.SlackClient()
	many := make([]slack.Block, 51)
	for i := range many {
		many[i] = slack.NewDividerBlock()
	}
	long := slack.NewActionBlock("", slack.NewButtonBlockElement("b", "v",
		slack.NewTextBlockObject(slack.PlainTextType, strings.Repeat("x", 76), false, false)))
	for name, opts := range map[string][]slack.MsgOption{
		"invalid_blocks/51": {slack.MsgOptionBlocks(many...)},
		"invalid_blocks/76": {slack.MsgOptionBlocks(long)},
		"no_text/":          {slack.MsgOptionText("", false)},
	} {
		if _, _, err := api.PostMessage("C1", opts...); slackErr(err) != strings.Split(name, "/")[0] {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if n := len(srv.Messages(nil)); n != 0 {
		t.Errorf("%d invalid messages stored", n)
	}
}

func TestPostMessageToUserGoesToDM(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	api := srv.SlackClient()
	ch, _, err := api.PostMessage("U1", slack.MsgOptionText("hi", false))
	if err != nil {
		t.Fatal(err)
	}
	open, _, _, err := api.OpenConversation(&slack.OpenConversationParameters{Users: []string{"U1"}})
	if err != nil {
		t.Fatal(err)
	}
	if ch != srv.DMChannel("U1") || open.ID != ch || !strings.HasPrefix(ch, "D") {
		t.Errorf("DM channel: post %q, open %q, DMChannel %q", ch, open.ID, srv.DMChannel("U1"))
	}
}
