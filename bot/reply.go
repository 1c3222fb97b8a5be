package bot

import (
	"context"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// replyMode says where an answer goes.
type replyMode int

const (
	// replyEphemeral shows a new message to the actor only.
	replyEphemeral replyMode = iota
	// replyReplace replaces the message that was clicked (ephemeral or not).
	replyReplace
	// replyInChannel posts a new message everyone in the channel sees.
	replyInChannel
)

// reply answers the actor. It prefers the interaction's response_url, which is the
// only way to replace an ephemeral message, and falls back to chat.postEphemeral.
func (b *Bot) reply(ctx context.Context, req *request, m views.Message, mode replyMode) {
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
	var err error
	switch {
	case mode == replyInChannel:
		_, _, err = b.slack.PostMessageContext(ctx, req.Channel, opts...)
	case req.ResponseURL != "" && mode == replyReplace && req.FromMessage:
		opts = append(opts, slack.MsgOptionReplaceOriginal(req.ResponseURL))
		_, _, err = b.slack.PostMessageContext(ctx, "", opts...)
	case req.ResponseURL != "":
		_, _, err = b.slack.PostMessageContext(ctx, "", append(opts, slack.MsgOptionResponseURL(req.ResponseURL, slack.ResponseTypeEphemeral))...)
	case req.Channel != "":
		_, err = b.slack.PostEphemeralContext(ctx, req.Channel, req.Actor.UserID, opts...)
	default:
		err = b.dm(ctx, req.Actor.UserID, m)
	}
	if err != nil && req.ResponseURL != "" && req.Channel != "" && mode != replyInChannel {
		// A response_url lasts 30 minutes and 5 uses; past that, an ephemeral message
		// still reaches the user, though it cannot replace the original.
		b.log.Warn("response_url refused; answering with chat.postEphemeral", zap.String("envelope_id", req.EnvelopeID), zap.Error(err))
		_, err = b.slack.PostEphemeralContext(ctx, req.Channel, req.Actor.UserID, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	}
	if err != nil {
		b.log.Error("answering in Slack", zap.String("envelope_id", req.EnvelopeID),
			zap.String("slack_user_id", req.Actor.UserID), zap.Error(err))
	}
}

// dm sends a direct message, used to tell a requester what became of their request.
func (b *Bot) dm(ctx context.Context, userID string, m views.Message) error {
	ch, _, _, err := b.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}})
	if err != nil {
		return err
	}
	_, _, err = b.slack.PostMessageContext(ctx, ch.ID, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	return err
}

// updateMessage replaces a channel message the bot posted, such as an approval card.
func (b *Bot) updateMessage(ctx context.Context, channel, ts string, m views.Message) error {
	_, _, _, err := b.slack.UpdateMessageContext(ctx, channel, ts, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
	return err
}
