package desk

import (
	"context"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// ReplyMode says where an answer goes.
type ReplyMode int

const (
	// ReplyEphemeral shows a new message to the actor only.
	ReplyEphemeral ReplyMode = iota
	// ReplyReplace replaces the message that was clicked (ephemeral or not).
	ReplyReplace
	// ReplyInChannel posts a new message everyone in the channel sees.
	ReplyInChannel
)

// Reply answers the actor. It prefers the interaction's response_url, which is the
// only way to replace an ephemeral message, and falls back to chat.postEphemeral.
func (b *Desk) Reply(ctx context.Context, req *transport.Request, m views.Message, mode ReplyMode) {
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
	var err error
	switch {
	case mode == ReplyInChannel:
		_, _, err = b.Slack.PostMessageContext(ctx, req.Channel, opts...)
	case req.ResponseURL != "" && mode == ReplyReplace && req.FromMessage:
		opts = append(opts, slack.MsgOptionReplaceOriginal(req.ResponseURL))
		_, _, err = b.Slack.PostMessageContext(ctx, "", opts...)
	case req.ResponseURL != "":
		_, _, err = b.Slack.PostMessageContext(ctx, "", append(opts, slack.MsgOptionResponseURL(req.ResponseURL, slack.ResponseTypeEphemeral))...)
	case req.Channel != "":
		_, err = b.Slack.PostEphemeralContext(ctx, req.Channel, req.Actor.UserID, opts...)
	default:
		err = b.DM(ctx, req.Actor.UserID, m)
	}
	if err != nil && req.ResponseURL != "" && req.Channel != "" && mode != ReplyInChannel {
		// A response_url lasts 30 minutes and 5 uses; past that, an ephemeral message
		// still reaches the user, though it cannot replace the original.
		b.Log.Warn("response_url refused; answering with chat.postEphemeral", zap.String("envelope_id", req.EnvelopeID), zap.Error(err))
		_, err = b.Slack.PostEphemeralContext(ctx, req.Channel, req.Actor.UserID, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	}
	if err != nil {
		b.Log.Error("answering in Slack", zap.String("envelope_id", req.EnvelopeID),
			zap.String("slack_user_id", req.Actor.UserID), zap.Error(err))
	}
}

// DM sends a direct message, used to tell a requester what became of their request.
func (b *Desk) DM(ctx context.Context, userID string, m views.Message) error {
	ch, _, _, err := b.Slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}})
	if err != nil {
		return err
	}
	_, _, err = b.Slack.PostMessageContext(ctx, ch.ID, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	return err
}

// UpdateMessage replaces a channel message the bot posted, such as an approval card.
func (b *Desk) UpdateMessage(ctx context.Context, channel, ts string, m views.Message) error {
	_, _, _, err := b.Slack.UpdateMessageContext(ctx, channel, ts, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	return err
}

// ThreadNote posts a short note in a thread under a shared message.
func (b *Desk) ThreadNote(ctx context.Context, channel, ts, mrkdwn string) {
	_, _, err := b.Slack.PostMessageContext(ctx, channel, slack.MsgOptionText(mrkdwn, false), slack.MsgOptionTS(ts))
	if err != nil {
		b.LogInternal(transport.NewRef(), err, nil, "thread note")
	}
}

// AnswerLater replies to req whatever became of its own context.
func (b *Desk) AnswerLater(req *transport.Request, m views.Message) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b.Reply(ctx, req, m, ReplyEphemeral)
}
