package app

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/bot/views/auditview"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// slackPoster is the one Slack call anchors make.
type slackPoster interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
}

// newAnchorer builds the anchorer of the audit chains: every replica runs one, a
// conditional write in the state table picks which replica anchors each period,
// and the anchor is posted to audit.anchor_channel, a copy off the table. Nil when
// no channel is configured.
func newAnchorer(cfg *config.Config, awsCfg aws.Config, api slackPoster) *audit.Anchorer {
	if cfg.Audit.AnchorChannel == "" {
		return nil
	}
	ddb := audit.NewClient(awsCfg)
	return &audit.Anchorer{
		Log:    audit.NewLog(ddb, cfg.Audit.Table, cfg.Audit.Retention.Std()),
		Claims: state.NewStore(ddb, cfg.Audit.StateTable),
		Every:  cfg.Audit.AnchorEvery.Std(),
		Post:   postAnchor(api, cfg.Audit.AnchorChannel),
	}
}

// postAnchor posts an anchor's digest to channel.
func postAnchor(api slackPoster, channel string) func(ctx context.Context, a chain.Anchor) error {
	return func(ctx context.Context, a chain.Anchor) error {
		m := auditview.AnchorPosted(auditview.AnchorView{ID: a.ID, Time: a.Time, Digest: a.Digest, Chains: len(a.Heads)})
		_, _, err := api.PostMessageContext(ctx, channel, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
		return err
	}
}

// runAnchors anchors until ctx ends, logging failures (the next period retries).
func runAnchors(ctx context.Context, a *audit.Anchorer, log *zap.Logger) {
	if a == nil {
		return
	}
	log.Info("anchoring the audit chains", zap.Duration("every", a.Every))
	a.Run(ctx, func(err error) { log.Warn("anchoring the audit chains", zap.Error(err)) })
}
