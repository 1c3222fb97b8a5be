// Package app is cognito-bot's command line: it parses the subcommand, loads and
// validates the configuration, wires the AWS and Slack clients into the bot and maps
// failures to exit codes. main stays a one-liner around Main.
package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// Exit codes, documented in the README ("Exit codes") and in the usage text.
const (
	exitOK          = 0   // done, or stopped cleanly after a drain
	exitError       = 1   // a runtime failure: AWS configuration, Slack refused the connection, …
	exitConfig      = 2   // the configuration or environment is invalid (every problem is printed)
	exitPreflight   = 3   // an online check failed: Slack auth.test, a table or a pool (every failure is printed)
	exitUsage       = 64  // the command line is wrong
	exitInterrupted = 130 // a second SIGINT/SIGTERM cut the drain short
)

const usageText = `cognito-bot manages AWS Cognito users from Slack.

Usage:
  cognito-bot [run]                    check Slack, DynamoDB and the pools, then serve /cognito
                                       (Socket Mode); without Slack tokens and without a
                                       configuration file, serve the sandbox page instead
                                       (try it in a browser)
  cognito-bot migrate                  create the DynamoDB tables and indexes (safe to repeat)
  cognito-bot check-config [--online]  validate the configuration and list every problem;
                                       --online also calls Slack auth.test, DescribeTable and DescribeUserPool
  cognito-bot audit verify [--since DURATION] [--anchor DIGEST]
                                       check the audit log's hash chain; prints each break
                                       (entry id, time, what is wrong) and exits 1 if any;
                                       --anchor also requires that posted anchor digest
  cognito-bot audit export [--since DURATION] [--format jsonl|csv]
                                       write the audit log, oldest first, to stdout (for a SIEM)
  cognito-bot iam-policy [--account ID] [--migrate]
                                       print the least-privilege IAM policy (JSON) for this
                                       configuration: on each pool only what its roles can do,
                                       the tables by name; --migrate: the policy for migrate.
                                       Tables' region: $AWS_REGION, else the default pool's
  cognito-bot version | --version      print the version
  cognito-bot help | --help            print this text

Flags (before or after the subcommand):
  --config PATH        YAML configuration (default: $COGNITO_BOT_CONFIG)
  --log-format FORMAT  json or console (default: console on a terminal, else json)
  --debug              debug logging
  --listen HOST:PORT   sandbox page address (default 127.0.0.1:8080); only with the
                       sandbox (a usage error otherwise): a configured bot's metrics
                       and health checks use ops.listen in the YAML

Environment: SLACK_APP_TOKEN (xapp-…), SLACK_BOT_TOKEN (xoxb-…), SLACK_API_URL (optional),
COGNITO_BOT_CONFIG, and the AWS SDK's own variables (AWS_REGION, AWS_PROFILE,
AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL_DYNAMODB, …).

Signals: SIGTERM or SIGINT drains (the socket closes, in-flight actions get
ops.shutdown_timeout to finish); a second one exits at once.

Exit codes: 0 ok, 1 runtime error, 2 invalid configuration, 3 online check failed,
64 usage error, 130 stopped by a second signal.
`

// options are the parsed command line.
type options struct {
	sub        string
	configPath string
	logFormat  string
	debug      bool
	listen     string
	listenSet  bool // --listen was given: only the sandbox takes it
	online     bool
	version    bool
	// auditSub, since, format and anchor belong to `audit verify|export`.
	auditSub string
	since    string
	format   string
	anchor   string
	// iam-policy's flags.
	account       string
	migratePolicy bool
}

// Main runs cognito-bot with args (without the program name) and returns the exit code.
func Main(args []string, version string, getenv func(string) string, stdout, stderr io.Writer) int {
	version = resolveVersion(version)
	opts, err := parseArgs(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText)
			return exitOK
		}
		fmt.Fprintf(stderr, "cognito-bot: %v\n\n%s", err, usageText)
		return exitUsage
	}
	if opts.version {
		opts.sub = "version"
	}
	if opts.online && opts.sub != "check-config" {
		fmt.Fprintf(stderr, "cognito-bot: --online belongs to check-config\n\n%s", usageText)
		return exitUsage
	}
	if opts.listenSet && opts.sub != "run" {
		return usageError(stderr, "--listen belongs to run (the sandbox page)")
	}
	if (opts.account != "" || opts.migratePolicy) && opts.sub != "iam-policy" {
		return usageError(stderr, "--account and --migrate belong to iam-policy")
	}
	switch opts.sub {
	case "help":
		fmt.Fprint(stdout, usageText)
		return exitOK
	case "version":
		fmt.Fprintf(stdout, "cognito-bot %s\n", version)
		return exitOK
	case "check-config":
		return checkConfig(opts, getenv, stdout, stderr)
	case "migrate":
		return migrate(opts, getenv, stderr)
	case "audit":
		return auditCommand(opts, getenv, stdout, stderr)
	case "iam-policy":
		return iamPolicy(opts, getenv, stdout, stderr)
	case "run":
		if sandboxMode(opts.configPath, getenv) {
			return runSandbox(opts, getenv, stderr)
		}
		if opts.listenSet {
			return usageError(stderr, "--listen sets the sandbox page's address; a configured bot serves /metrics, /healthz and /readyz on ops.listen in the YAML")
		}
		return run(opts, version, getenv, stderr)
	}
	fmt.Fprintf(stderr, "cognito-bot: unknown command %q\n\n%s", opts.sub, usageText)
	return exitUsage
}

func parseArgs(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	opts := options{sub: "run"}
	fs := flag.NewFlagSet("cognito-bot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&opts.configPath, "config", getenv("COGNITO_BOT_CONFIG"), "configuration file")
	fs.StringVar(&opts.logFormat, "log-format", "", "json or console")
	fs.BoolVar(&opts.debug, "debug", false, "debug logging")
	fs.StringVar(&opts.listen, "listen", "127.0.0.1:8080", "sandbox page address")
	fs.BoolVar(&opts.online, "online", false, "check-config: also check Slack, DynamoDB and the pools")
	fs.BoolVar(&opts.version, "version", false, "print the version")
	fs.StringVar(&opts.since, "since", "", "audit: how far back")
	fs.StringVar(&opts.format, "format", "jsonl", "audit export: jsonl or csv")
	fs.StringVar(&opts.anchor, "anchor", "", "audit verify: a posted anchor digest that must be found")
	fs.StringVar(&opts.account, "account", "", "iam-policy: the AWS account id of the pools and tables")
	fs.BoolVar(&opts.migratePolicy, "migrate", false, "iam-policy: the policy for running migrate")
	// Flags may come before or after the subcommand.
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return opts, err
		}
		args = fs.Args()
		if len(args) > 0 {
			rest = append(rest, args[0])
			args = args[1:]
		}
	}
	if len(rest) == 2 && rest[0] == "audit" {
		opts.auditSub, rest = rest[1], rest[:1]
	}
	if len(rest) > 1 {
		return opts, fmt.Errorf("unexpected arguments: %s", strings.Join(rest[1:], " "))
	}
	if len(rest) == 1 {
		opts.sub = rest[0]
	}
	if (opts.since != "" || opts.anchor != "") && (len(rest) == 0 || rest[0] != "audit") {
		return opts, fmt.Errorf("--since and --anchor belong to audit verify and audit export")
	}
	if opts.logFormat != "" && opts.logFormat != "json" && opts.logFormat != "console" {
		return opts, fmt.Errorf("--log-format must be json or console")
	}
	fs.Visit(func(f *flag.Flag) { opts.listenSet = opts.listenSet || f.Name == "listen" })
	if err := checkListen(opts.listen); err != nil {
		return opts, err
	}
	return opts, nil
}

// checkListen refuses a --listen that is not HOST:PORT with a numeric port, so a
// typo is a usage error at once rather than a failure to bind later.
func checkListen(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want HOST:PORT, e.g. 127.0.0.1:8080 or :8080", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("--listen %q: the port must be a number from 0 to 65535", addr)
	}
	return nil
}

// usageError prints why the command line is wrong, then the usage text.
func usageError(stderr io.Writer, why string) int {
	fmt.Fprintf(stderr, "cognito-bot: %s\n\n%s", why, usageText)
	return exitUsage
}
