package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/logging"
	"github.com/cognito-bot/cognito-bot/internal/sandbox"
)

// AWS endpoint variables that send the sandbox to emulators instead of memory.
const (
	envCognitoEndpoint  = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
	envDynamoDBEndpoint = "AWS_ENDPOINT_URL_DYNAMODB"
)

// sandboxMode reports whether run should start the sandbox: no Slack token and
// no configuration file means nobody has set up a real bot yet. Someone who names
// a configuration (--config or COGNITO_BOT_CONFIG) means the real bot, and is
// told which tokens are missing instead of being handed a toy.
func sandboxMode(configPath string, getenv func(string) string) bool {
	return configPath == "" && getenv(config.EnvAppToken) == "" && getenv(config.EnvBotToken) == ""
}

// runSandbox serves the sandbox page until SIGINT or SIGTERM.
func runSandbox(opts options, getenv func(string) string, stderr io.Writer) int {
	log, err := logging.New(opts.logFormat, opts.debug)
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: building logger: %v\n", err)
		return exitError
	}
	defer func() { _ = log.Sync() }()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	back, err := sandboxBackend(ctx, getenv, log)
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: starting the sandbox: %v\n", err)
		return exitError
	}
	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	sb, err := sandbox.Start(startCtx, sandbox.Options{Listen: opts.listen, Backend: back, Logger: log})
	cancel()
	if err != nil {
		fmt.Fprintf(stderr, "cognito-bot: starting the sandbox: %v\n", err)
		return exitError
	}
	defer sb.Close()
	fmt.Fprintf(stderr, `
  cognito-bot SANDBOX: open %s in your browser

  This is a sandbox, not the real thing: the real bot runs against an embedded
  Slack emulator and %s
  Pick a persona on the page and type /cognito help.

  To connect real Slack and AWS instead, set SLACK_APP_TOKEN (xapp-…),
  SLACK_BOT_TOKEN (xoxb-…) and COGNITO_BOT_CONFIG (start from
  cognito-bot.example.yaml) plus your AWS credentials, then run make run again.
  Ctrl-C stops the sandbox.

`, sb.URL(), back.Description)
	<-ctx.Done()
	log.Info("sandbox stopped")
	return exitOK
}

// sandboxBackend picks in-memory stores, or the emulators the AWS endpoint
// variables point at. Both variables must be set, and both on this machine's
// loopback: one alone, or an endpoint elsewhere (a VPC endpoint, a proxy), could
// send the sandbox's pool and tables to a real account.
func sandboxBackend(ctx context.Context, getenv func(string) string, log *zap.Logger) (sandbox.Backend, error) {
	cognitoURL, dynamoURL := getenv(envCognitoEndpoint), getenv(envDynamoDBEndpoint)
	switch {
	case cognitoURL == "" && dynamoURL == "":
		return sandbox.MemoryBackend(time.Now())
	case cognitoURL == "" || dynamoURL == "":
		return sandbox.Backend{}, fmt.Errorf("set both %s and %s to run the sandbox on emulators, or neither to run it in memory", envCognitoEndpoint, envDynamoDBEndpoint)
	}
	for name, v := range map[string]string{envCognitoEndpoint: cognitoURL, envDynamoDBEndpoint: dynamoURL} {
		if !onLoopback(v) {
			return sandbox.Backend{}, fmt.Errorf("%s is %q: the sandbox runs only against emulators on this machine (localhost, 127.0.0.1, ::1)", name, v)
		}
	}
	region := getenv("AWS_REGION")
	if region == "" {
		region = "us-east-1"
	}
	awsCfg, err := sandboxAWSConfig(ctx, region)
	if err != nil {
		return sandbox.Backend{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	setupCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return sandbox.AWSBackend(setupCtx, awsCfg, sandbox.SeedPeople(time.Now()), log.Named("sandbox"))
}

// onLoopback reports whether endpoint is an http(s) URL on this machine.
func onLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sandboxAWSConfig is the AWS configuration of a sandbox on emulators.
// Emulators take any credentials; dummy ones mean that even if the SDK were
// told to ignore the endpoint variables (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS,
// a profile setting), a real account would refuse every call.
func sandboxAWSConfig(ctx context.Context, region string) (aws.Config, error) {
	return awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region),
		awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("sandbox", "sandbox", "")))
}
