package slackemu_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// clickAndGetURL clicks actionID on m as userID and returns the response_url
// the bot received.
func clickAndGetURL(t *testing.T, srv *slackemu.Server, b *bot, m slackemu.Message, actionID, userID string) slack.InteractionCallback {
	t.Helper()
	if _, err := srv.Click(testCtx(t), m, actionID, userID); err != nil {
		t.Fatal(err)
	}
	return b.next(t, socketmode.EventTypeInteractive).Data.(slack.InteractionCallback)
}

func TestResponseURLReplacesEphemeralInPlaceFiveTimes(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackWith(map[string]any{"text": "Disable alice?", "blocks": confirmBlocks("tok")}))
	slash(t, srv, "disable alice")
	ctx := testCtx(t)
	m, err := srv.WaitMessage(ctx, func(m slackemu.Message) bool { return len(m.Buttons()) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	cb := clickAndGetURL(t, srv, b, m, "confirm_disable", "U1")
	if !cb.Container.IsEphemeral || cb.Message.Timestamp != "" {
		t.Errorf("ephemeral click: container %+v, message ts %q (Slack omits the message)", cb.Container, cb.Message.Timestamp)
	}

	if _, _, err := b.PostMessage("", slack.MsgOptionReplaceOriginal(cb.ResponseURL), slack.MsgOptionText("Disabled alice", false)); err != nil {
		t.Fatalf("replace_original: %v", err)
	}
	got, _ := srv.Message(m.Channel, m.TS)
	if got.Text != "Disabled alice" || got.Updated != 1 || !got.Ephemeral || got.User != "U1" || len(got.Buttons()) != 0 || len(got.Versions) != 2 {
		t.Errorf("replaced message = %+v", got)
	}
	if _, err := srv.Click(ctx, got, "confirm_disable", "U1"); err == nil {
		t.Error("clicked a button that was replaced away")
	}
	if n := len(srv.Visible("C1", "U1")); n != 1 {
		t.Errorf("user sees %d messages, want the 1 replaced in place", n)
	}

	for i := 2; i <= 5; i++ {
		if _, _, err := b.PostMessage("", slack.MsgOptionReplaceOriginal(cb.ResponseURL), slack.MsgOptionText("again", false)); err != nil {
			t.Fatalf("use %d: %v", i, err)
		}
	}
	_, _, err = b.PostMessage("", slack.MsgOptionReplaceOriginal(cb.ResponseURL), slack.MsgOptionText("sixth", false))
	var sce slack.StatusCodeError
	if !errors.As(err, &sce) || sce.Code != 404 {
		t.Errorf("6th use = %v, want 404", err)
	}
	posts := srv.ResponsePosts(cb.ResponseURL)
	if len(posts) != 6 || posts[5].Result != "used_url" {
		t.Errorf("posts = %d, last %+v", len(posts), posts[len(posts)-1])
	}
	if got, _ := srv.Message(m.Channel, m.TS); got.Text != "again" || got.Updated != 5 {
		t.Errorf("after refusal: %q updated %d", got.Text, got.Updated)
	}
}

func TestResponseURLDeleteAndNewMessages(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackEmpty)
	ch, ts, err := b.PostMessage("C1", slack.MsgOptionBlocks(confirmBlocks("tok")...))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := srv.Message(ch, ts)
	cb := clickAndGetURL(t, srv, b, m, "cancel", "U2")

	if _, _, err := b.PostMessage("", slack.MsgOptionResponseURL(cb.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("only you", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.PostMessage("", slack.MsgOptionResponseURL(cb.ResponseURL, slack.ResponseTypeInChannel), slack.MsgOptionText("everyone", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.PostMessage("", slack.MsgOptionDeleteOriginal(cb.ResponseURL)); err != nil {
		t.Fatal(err)
	}
	texts := func(user string) (out []string) {
		for _, m := range srv.Visible("C1", user) {
			out = append(out, m.RenderedText())
		}
		return out
	}
	if got := strings.Join(texts("U2"), "|"); got != "only you|everyone" {
		t.Errorf("U2 sees %q", got)
	}
	if got := strings.Join(texts("U3"), "|"); got != "everyone" {
		t.Errorf("U3 sees %q", got)
	}
	if got, _ := srv.Message(ch, ts); !got.Deleted {
		t.Error("delete_original left the message")
	}
}

func TestResponseURLExpiresAfter30Minutes(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newServer(t, slackemu.Options{Now: clock.Now})
	b := startBot(t, srv, ackEmpty)
	d := slash(t, srv, "lookup alice")
	mustAck(t, srv, d)
	clock.Advance(31 * time.Minute)
	_, _, err := b.PostMessage("", slack.MsgOptionResponseURL(d.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("late", false))
	if posts := srv.ResponsePosts(d.ResponseURL); err == nil || len(posts) != 1 || posts[0].Result != "expired_url" {
		t.Errorf("post after 31 min = %v, %+v", err, posts)
	}
}

func TestSlashResponseURLReplacesTheCommandsReply(t *testing.T) {
	t.Parallel()
	srv := newServer(t, slackemu.Options{})
	b := startBot(t, srv, ackWith(map[string]any{"text": "Working…"}))
	d := slash(t, srv, "lookup alice")
	reply, err := srv.WaitMessage(testCtx(t), func(m slackemu.Message) bool { return m.Text == "Working…" })
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.PostMessage("", slack.MsgOptionReplaceOriginal(d.ResponseURL), slack.MsgOptionText("alice: enabled", false)); err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.Message(reply.Channel, reply.TS); got.Text != "alice: enabled" || got.Updated != 1 {
		t.Errorf("reply after replace_original = %+v", got)
	}
}
