package bottest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// CreateUser adds a confirmed user with a verified email, so every action applies;
// extra holds further attributes ("name", "custom:tenant", …).
func (h *Harness) CreateUser(username, email string, extra ...map[string]string) {
	h.T.Helper()
	ctx := Fixture(context.Background())
	attrs := map[string]string{"email_verified": "true"}
	for _, m := range extra {
		maps.Copy(attrs, m)
	}
	err := testenv.Arrange(func(retried bool) error {
		_, _, err := h.Users.CreateUser(ctx, h.Pool.ID, cognito.NewUser{Username: username, Email: email, Attributes: attrs,
			Invitation: cognito.InviteSuppress})
		if retried && errors.Is(err, cognito.ErrUserExists) {
			return nil // the first attempt made it; only its answer was lost
		}
		return err
	})
	if err != nil {
		h.T.Fatalf("creating user %s: %v", username, err)
	}
	// SetPassword makes a single attempt by design (right for the bot); setting
	// the same password again is harmless, so arranging the test may retry it.
	err = testenv.Arrange(func(bool) error {
		_, err := h.Users.SetPassword(ctx, h.Pool.ID, username, "Correct-Horse-9-Battery", true)
		return err
	})
	if err != nil {
		h.T.Fatalf("confirming user %s: %v", username, err)
	}
}

// User reads a user back from the directory; ok is false when the user does not exist.
func (h *Harness) User(username string) (*cognito.User, bool) {
	h.T.Helper()
	u, err := h.Users.GetUser(Fixture(context.Background()), h.Pool.ID, username)
	if errors.Is(err, cognito.ErrUserNotFound) {
		return nil, false
	}
	if err != nil {
		h.T.Fatalf("reading user %s: %v", username, err)
	}
	return u, true
}

// Command types "/cognito text" as user in the support channel.
func (h *Harness) Command(user, text string) *slackemu.Delivery {
	return h.CommandIn(user, Channel, text)
}

// CommandIn types "/cognito text" as user in channel.
func (h *Harness) CommandIn(user, channel, text string) *slackemu.Delivery {
	h.T.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.SlashCommand(ctx, slackemu.SlashCommand{UserID: user, ChannelID: channel, Command: SlashName, Text: text})
	if err != nil {
		h.T.Fatalf("sending %q: %v", text, err)
	}
	return d
}

// Reply waits for the nth answer (1-based) the bot posted through d's
// response_url and returns the message as it is now.
func (h *Harness) Reply(d *slackemu.Delivery, n int) slackemu.Message {
	h.T.Helper()
	var post slackemu.ResponsePost
	h.ctx(func(ctx context.Context) error {
		return h.Slack.Wait(ctx, func() bool {
			posts := h.Slack.ResponsePosts(d.ResponseURL)
			if len(posts) < n {
				return false
			}
			post = posts[n-1]
			return true
		})
	}, "waiting for reply")
	if post.Status != 200 {
		h.T.Fatalf("bot's response_url post was refused: %d %s", post.Status, post.Result)
	}
	m, ok := h.Slack.Message(post.Channel, post.TS)
	if !ok {
		h.T.Fatalf("reply message %s/%s not found", post.Channel, post.TS)
	}
	return m
}

// Click presses the button actionID on msg as user and returns the delivery.
func (h *Harness) Click(msg slackemu.Message, actionID, user string) *slackemu.Delivery {
	h.T.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	current, ok := h.Slack.Message(msg.Channel, msg.TS)
	if !ok {
		h.T.Fatalf("message %s gone", msg.TS)
	}
	d, err := h.Slack.Click(ctx, current, actionID, user)
	if err != nil {
		h.T.Fatalf("clicking %s: %v", actionID, err)
	}
	return d
}

// ClickAsShown presses the button actionID as msg showed it, even if the message
// has since been replaced: a second click sent before Slack redrew the message.
func (h *Harness) ClickAsShown(msg slackemu.Message, actionID, user string) *slackemu.Delivery {
	h.T.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	for _, b := range msg.Buttons() {
		if b.ActionID == actionID {
			d, err := h.Slack.BlockAction(ctx, slackemu.BlockActionSpec{UserID: user, ChannelID: msg.Channel, MessageTS: msg.TS,
				ActionID: b.ActionID, BlockID: b.BlockID, Value: b.Value, Text: b.Text, Style: b.Style})
			if err != nil {
				h.T.Fatalf("clicking %s: %v", actionID, err)
			}
			return d
		}
	}
	h.T.Fatalf("message %s showed no button %q", msg.TS, actionID)
	return nil
}

// WaitMessage waits for a message matching match.
func (h *Harness) WaitMessage(what string, match func(slackemu.Message) bool) slackemu.Message {
	h.T.Helper()
	var m slackemu.Message
	h.ctx(func(ctx context.Context) (err error) { m, err = h.Slack.WaitMessage(ctx, match); return err }, "waiting for "+what)
	return m
}

// AuditFor returns the audit entries about username, newest first, waiting
// until at least min of them are there.
func (h *Harness) AuditFor(username string, min int) []audit.Entry {
	h.T.Helper()
	var entries []audit.Entry
	// The audit log is not part of the emulator's state, so this polls.
	h.ctx(func(ctx context.Context) error {
		for {
			var err error
			entries, _, err = h.Audit.ByTarget(ctx, h.Pool.ID, username, 100, "")
			if err == nil && len(entries) >= min {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%d entries, want %d: %v", len(entries), min, err)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}, "waiting for audit entries")
	return entries
}

// Executions returns the audit entries that record running action (phase execute).
func Executions(entries []audit.Entry, action string) []audit.Entry {
	var out []audit.Entry
	for _, e := range entries {
		if e.Action == action && e.Params["phase"] == "execute" {
			out = append(out, e)
		}
	}
	return out
}

// Text is everything a user reads in a message: fallback text and block JSON.
func Text(m slackemu.Message) string { return m.Text + "\n" + string(m.Blocks) }

// Contains reports whether the message shows s.
func Contains(m slackemu.Message, s string) bool { return strings.Contains(Text(m), s) }

// CreateUserIn is CreateUser in another configured pool.
func (h *Harness) CreateUserIn(pool config.Pool, username, email string, extra ...map[string]string) {
	h.T.Helper()
	saved := h.Pool
	h.Pool = pool
	defer func() { h.Pool = saved }()
	h.CreateUser(username, email, extra...)
}

// Eventually polls cond until it holds or the harness timeout passes.
func (h *Harness) Eventually(what string, cond func() bool) {
	h.T.Helper()
	h.ctx(func(ctx context.Context) error {
		for !cond() {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
		return nil
	}, what)
}

// PostButton posts, as the bot, a channel message with one button, the way an
// earlier version of the bot rendered it, and returns the message.
func (h *Harness) PostButton(channel, text, actionID, value string) slackemu.Message {
	h.T.Helper()
	api := slack.New(h.Slack.BotToken(), slack.OptionAPIURL(h.Slack.APIURL()))
	btn := slack.NewButtonBlockElement(actionID, value, slack.NewTextBlockObject(slack.PlainTextType, "Confirm", false, false))
	_, ts, err := api.PostMessage(channel, slack.MsgOptionText(text, false),
		slack.MsgOptionBlocks(slack.NewActionBlock("old", btn)))
	if err != nil {
		h.T.Fatalf("posting a button: %v", err)
	}
	m, ok := h.Slack.Message(channel, ts)
	if !ok {
		h.T.Fatalf("posted message %s not found", ts)
	}
	return m
}

// ClickTicked presses the button actionID of msg as it is now, with the
// message's checkboxes ticked as given (action_id → option values), as Slack
// sends their state with the click.
func (h *Harness) ClickTicked(msg slackemu.Message, actionID, user string, ticked map[string][]string) *slackemu.Delivery {
	h.T.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	d, err := h.Slack.ClickTicked(ctx, msg, actionID, user, ticked)
	if err != nil {
		h.T.Fatalf("clicking %s: %v", actionID, err)
	}
	return d
}
