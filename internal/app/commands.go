package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// checkConfig validates the configuration and environment and reports every problem.
func checkConfig(opts options, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, code := loadConfig(opts, getenv, stderr)
	if cfg == nil {
		return code
	}
	fmt.Fprintf(stdout, "configuration OK: %d pool(s) (default %s), %d role(s), %d approval rule(s), command %s\n",
		len(cfg.Pools), cfg.DefaultPool().Name, len(cfg.Roles), len(cfg.Approvals), cfg.Slack.Command)
	if !opts.online {
		return exitOK
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	awsCfg, err := loadAWS(ctx, cfg, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: %v\n", err)
		return exitError
	}
	findings := onlineCheck(ctx, cfg, awsCfg, slackClient(cfg))
	if len(findings) > 0 {
		fmt.Fprintf(stderr, "cognito-bot: %d online check(s) failed:\n", len(findings))
		for _, f := range findings {
			fmt.Fprintf(stderr, "  - %s\n", f)
		}
		return exitPreflight
	}
	fmt.Fprintf(stdout, "online checks OK: Slack auth.test, tables %s and %s, %d pool(s)\n",
		cfg.Audit.Table, cfg.Audit.StateTable, len(cfg.Pools))
	return exitOK
}

// migrate creates the DynamoDB tables. It needs no Slack tokens, so placeholders
// stand in for missing ones while the rest of the file is still validated.
func migrate(opts options, getenv func(string) string, stderr io.Writer) int {
	cfg, code := loadConfig(opts, withoutSlackTokens(getenv, "migrate"), stderr)
	if cfg == nil {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	awsCfg, err := loadAWS(ctx, cfg, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: %v\n", err)
		return exitError
	}
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "migrate: "+format+"\n", args...) }
	if err := audit.Migrate(ctx, audit.NewClient(awsCfg), audit.Tables{Audit: cfg.Audit.Table, State: cfg.Audit.StateTable}, logf); err != nil {
		fmt.Fprintf(stderr, "cognito-bot: migrating: %v\n", err)
		return exitError
	}
	logf("tables %s and %s are ready", cfg.Audit.Table, cfg.Audit.StateTable)
	return exitOK
}

// withoutSlackTokens lets a command that never talks to Slack (migrate,
// iam-policy) load the configuration: placeholders stand in for missing tokens
// while the rest of the file is still validated.
func withoutSlackTokens(getenv func(string) string, command string) func(string) string {
	return func(k string) string {
		v := getenv(k)
		switch {
		case v != "":
			return v
		case k == config.EnvAppToken:
			return "xapp-not-needed-for-" + command
		case k == config.EnvBotToken:
			return "xoxb-not-needed-for-" + command
		}
		return v
	}
}
