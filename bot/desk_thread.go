package bot

import (
	"context"

	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/slack-go/slack"
)

// threadNote posts a short note in a thread under a shared message.
func (b *Bot) threadNote(ctx context.Context, channel, ts, mrkdwn string) {
	_, _, err := b.Slack.PostMessageContext(ctx, channel, slack.MsgOptionText(mrkdwn, false), slack.MsgOptionTS(ts))
	if err != nil {
		b.LogInternal(transport.NewRef(), err, nil, "thread note")
	}
}
