package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/logging"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// run serves Slack until SIGINT or SIGTERM, then lets in-flight work finish.
func run(opts options, version string, getenv func(string) string, stderr io.Writer) int {
	cfg, code := loadConfig(opts, getenv, stderr)
	if cfg == nil {
		return code
	}
	log, err := logging.New(opts.logFormat, opts.debug)
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: building logger: %v\n", err)
		return exitError
	}
	defer func() { _ = log.Sync() }()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	awsCfg, err := loadAWS(ctx, cfg, getenv)
	if err != nil {
		log.Error("cannot start", zap.Error(err))
		return exitError
	}
	api := slackClient(cfg)
	groups := rbac.NewCachedGroups(func(ctx context.Context, id string) ([]string, error) {
		return api.GetUserGroupMembersContext(ctx, id)
	}, cfg.Slack.GroupRefresh.Std(), rbac.WithLogger(log.Named("rbac")))
	policy, teams, err := newPolicy(ctx, cfg, api, groups)
	if err != nil {
		logSlackFailure(log, "cannot start", err)
		return exitError
	}
	client := socketmode.New(api, socketmode.OptionLog(zap.NewStdLog(log.Named("socketmode"))))
	b, err := NewBot(cfg, awsCfg, client, policy, log)
	if err != nil {
		log.Error("cannot start", zap.Error(err))
		return exitError
	}
	pools := make([]string, 0, len(cfg.Pools))
	for _, p := range cfg.Pools {
		pools = append(pools, p.Name+"="+p.ID)
	}
	log.Info("starting cognito-bot", zap.String("version", version), zap.String("command", cfg.Slack.Command),
		zap.Strings("pools", pools), zap.String("audit_table", cfg.Audit.Table), zap.String("state_table", cfg.Audit.StateTable),
		zap.Int("roles", len(cfg.Roles)), zap.Int("approval_rules", len(cfg.Approvals)), zap.Strings("allowed_teams", teams),
		zap.Bool("slack_api_override", cfg.Slack.APIURL != ""))

	if err := b.Run(ctx, client); err != nil {
		logSlackFailure(log, "stopped", err)
		return exitError
	}
	log.Info("stopped cleanly")
	return exitOK
}

// logSlackFailure says what to fix when Slack refused the tokens, else logs
// err under msg.
func logSlackFailure(log *zap.Logger, msg string, err error) {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		log.Error("Slack refused the credentials; check SLACK_APP_TOKEN and SLACK_BOT_TOKEN", zap.String("slack_error", se.Err))
		return
	}
	log.Error(msg, zap.Error(err))
}

// loadConfig loads and validates the configuration, printing every problem with
// what to set and where. A nil config comes with the exit code to return.
func loadConfig(opts options, getenv func(string) string, stderr io.Writer) (*config.Config, int) {
	if opts.configPath == "" {
		fmt.Fprintln(stderr, "cognito-bot: no configuration file: set COGNITO_BOT_CONFIG or pass --config PATH (start from cognito-bot.example.yaml)")
		return nil, exitConfig
	}
	cfg, err := config.Load(opts.configPath, getenv)
	if err != nil {
		var probs *config.Problems
		if errors.As(err, &probs) {
			fmt.Fprintf(stderr, "cognito-bot: %d configuration problem(s) in %s and the environment:\n", len(*probs), opts.configPath)
			for _, p := range *probs {
				fmt.Fprintf(stderr, "  - %s\n", p.String())
			}
			return nil, exitConfig
		}
		fmt.Fprintf(stderr, "cognito-bot: %v\n", err)
		return nil, exitConfig
	}
	return cfg, exitOK
}
