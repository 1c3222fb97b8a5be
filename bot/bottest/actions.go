package bottest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// CreateUser adds a confirmed user with a verified email, so every action applies.
func (h *Harness) CreateUser(username, email string, extra ...types.AttributeType) {
	h.T.Helper()
	ctx := context.Background()
	attrs := append([]types.AttributeType{
		{Name: aws.String("email"), Value: aws.String(email)},
		{Name: aws.String("email_verified"), Value: aws.String("true")},
	}, extra...)
	_, err := h.Cognito.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(h.Pool.ID), Username: aws.String(username),
		UserAttributes: attrs, MessageAction: types.MessageActionTypeSuppress,
	})
	if err != nil {
		h.T.Fatalf("creating user %s: %v", username, err)
	}
	_, err = h.Cognito.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(h.Pool.ID), Username: aws.String(username),
		Password: aws.String("Correct-Horse-9-Battery"), Permanent: true,
	})
	if err != nil {
		h.T.Fatalf("confirming user %s: %v", username, err)
	}
}

// User reads a user back from moto; ok is false when the user does not exist.
func (h *Harness) User(username string) (*cip.AdminGetUserOutput, bool) {
	h.T.Helper()
	out, err := h.Cognito.AdminGetUser(context.Background(), &cip.AdminGetUserInput{
		UserPoolId: aws.String(h.Pool.ID), Username: aws.String(username),
	})
	var nf *types.UserNotFoundException
	if errors.As(err, &nf) {
		return nil, false
	}
	if err != nil {
		h.T.Fatalf("reading user %s: %v", username, err)
	}
	return out, true
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
