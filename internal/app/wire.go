package app

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/budget"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/logging"
	"github.com/cognito-bot/cognito-bot/internal/metrics"
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

// withSDKLogger routes the AWS SDK's own messages (retries, checksum warnings,
// deprecations) into log as entries of logger "aws", so the JSON log stays JSON.
func withSDKLogger(awsCfg aws.Config, log *zap.Logger) aws.Config {
	awsCfg.Logger = logging.AWS(log.Named("aws"))
	return awsCfg
}

// cognitoQuotas carries the configured request rates (quotas.share already
// applied by the config loader) into the Cognito layer.
func cognitoQuotas(q config.Quotas) quota.Quotas {
	return quota.Quotas{
		UserRead: q.UserRead, UserList: q.UserList, UserCreation: q.UserCreation,
		UserUpdate: q.UserUpdate, UserAccountRecovery: q.UserAccountRecovery,
		UserResourceRead: q.UserResourceRead, UserPoolRead: q.UserPoolRead,
		UserPoolResourceRead: q.UserPoolResourceRead, UserResourceUpdate: q.UserResourceUpdate,
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

// NewBot wires the production dependencies into a bot: Cognito through the SDK (its
// calls, throttles and limiter waits counted in m), audit log and state in DynamoDB
// (failed audit writes counted), policy (see newPolicy) deciding who may do what,
// and m as the bot's Observer. A nil m counts nothing.
func NewBot(cfg *config.Config, awsCfg aws.Config, api bot.SlackAPI, policy bot.Policy, log *zap.Logger, m *metrics.Metrics) (*bot.Bot, error) {
	ddb := audit.NewClient(awsCfg)
	var auditLog pipeline.AuditLog = audit.NewLog(ddb, cfg.Audit.Table, cfg.Audit.Retention.Std())
	cognitoOpts := awsdir.Options{Quotas: cognitoQuotas(cfg.Quotas), Logger: log.Named("cognito")}
	var observer bot.Observer
	var onJobWait func(string, time.Duration)
	if m != nil {
		onJobWait = m.JobLimiterWaited
		awsCfg = withCognitoMetrics(awsCfg, m)
		auditLog = meteredAudit{AuditLog: auditLog, m: m}
		cognitoOpts.OnLimiterWait = m.LimiterWaited
		observer = m
	}
	// quotas.* are the whole deployment's: each live replica takes its part,
	// found through the replicas' leases in the state table.
	store := state.NewStore(ddb, cfg.Audit.StateTable)
	owner := replicaName()
	share := budget.New(store, owner, budget.DefaultLease, log.Named("budget"))
	cognitoOpts.Quotas.Budget = share
	return bot.New(bot.Config{
		Settings:         cfg,
		Users:            awsdir.New(awsCfg, cognitoOpts),
		Audit:            auditLog,
		State:            store,
		Budget:           share,
		BulkOwner:        owner,
		Policy:           policy,
		Slack:            api,
		Logger:           log.Named("bot"),
		ShutdownTimeout:  cfg.Ops.ShutdownTimeout.Std(),
		Observer:         observer,
		OnJobLimiterWait: onJobWait,
	})
}

// replicaName names this replica in its budget and job leases: the pod's name
// (HOSTNAME in Kubernetes) with a random suffix, so a restarted pod of the
// same name is a new replica rather than the old one's lease.
func replicaName() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "cognito-bot"
	}
	return host + "-" + audit.NewID()[:6]
}
