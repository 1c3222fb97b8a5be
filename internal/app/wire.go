package app

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/metrics"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// loadAWS reads the AWS SDK's own configuration (environment, profiles, endpoint
// variables). Without AWS_REGION the default pool's region is used for DynamoDB.
func loadAWS(ctx context.Context, cfg *config.Config, getenv func(string) string) (aws.Config, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if getenv("AWS_REGION") == "" && getenv("AWS_DEFAULT_REGION") == "" && getenv("AWS_PROFILE") == "" {
		opts = append(opts, awsconfig.WithRegion(cfg.DefaultPool().Region))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = cfg.DefaultPool().Region
	}
	return awsCfg, nil
}

// cognitoQuotas carries the configured request rates into the Cognito layer.
func cognitoQuotas(q config.Quotas) cognito.Quotas {
	return cognito.Quotas{
		UserRead: float64(q.UserRead), UserList: float64(q.UserList), UserCreation: float64(q.UserCreation),
		UserUpdate: float64(q.UserUpdate), UserAccountRecovery: float64(q.UserAccountRecovery),
		UserResourceRead: float64(q.UserResourceRead), UserPoolRead: float64(q.UserPoolRead),
		UserPoolResourceRead: float64(q.UserPoolResourceRead),
	}
}

// slackClient builds the Web API client; SLACK_API_URL points it at an emulator.
func slackClient(cfg *config.Config) *slack.Client {
	opts := []slack.Option{slack.OptionAppLevelToken(cfg.Slack.AppToken)}
	if cfg.Slack.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(cfg.Slack.APIURL))
	}
	opts = append(opts, slack.OptionRetry(2))
	return slack.New(cfg.Slack.BotToken, opts...)
}

// newBot wires the production dependencies into a bot: Cognito through the SDK (its
// calls counted by m's middleware), audit log and state in DynamoDB (failed audit
// writes counted), RBAC with Slack user groups resolved through api, and m as the
// bot's Observer.
func newBot(cfg *config.Config, awsCfg aws.Config, api bot.SlackAPI, groups rbac.GroupResolver, log *zap.Logger, m *metrics.Metrics) (*bot.Bot, error) {
	ddb := audit.NewClient(awsCfg)
	// TODO(limiter metrics): pass OnLimiterWait: m.LimiterWaited once cognito.Options has it.
	users := cognito.New(withCognitoMetrics(awsCfg, m), cognito.Options{Quotas: cognitoQuotas(cfg.Quotas), Logger: log.Named("cognito")})
	return bot.New(bot.Config{
		Settings:        cfg,
		Users:           users,
		Audit:           meteredAudit{AuditLog: audit.NewLog(ddb, cfg.Audit.Table, cfg.Audit.Retention.Std()), m: m},
		State:           audit.NewStore(ddb, cfg.Audit.StateTable),
		Policy:          rbac.New(cfg, groups),
		Slack:           api,
		Logger:          log.Named("bot"),
		ShutdownTimeout: cfg.Ops.ShutdownTimeout.Std(),
		Observer:        m,
	})
}
