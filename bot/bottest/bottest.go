// Package bottest makes a fully wired cognito-bot in one line for end-to-end
// tests: the Slack emulator, slack-go's real socketmode client, moto for Cognito
// and DynamoDB Local for the audit log and state, with a fresh pool and fresh
// tables per test.
//
// # Usage
//
//	h := bottest.New(t, nil)
//	h.CreateUser("alice", "alice@example.com")
//	d := h.Command(bottest.Admin, "lookup alice")
//	card := h.Reply(d, 1)
package bottest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// Slack identities used by the default configuration.
const (
	Team       = "T0TEST"
	Admin      = "UADMIN"     // every action
	Admin2     = "UADMIN2"    // every action
	Support    = "USUPPORT"   // lookup, list, enable, disable, reset-password, revoke, audit, pools
	Nobody     = "UNOBODY"    // no role
	Approver   = "UAPPROVER"  // approves deletes directly
	Approver2  = "UAPPROVER2" // approves deletes through the user group below
	Approvers  = "SAPPROVERS" // Slack user group containing Approver2
	Channel    = "CDESK"
	Approvals  = "CAPPROVALS"
	PoolName   = "test"
	SlashName  = "/cognito"
	wait       = 20 * time.Second
	sweepEvery = 200 * time.Millisecond
)

// Options adjust the default world; nil means defaults.
type Options struct {
	// Replicas is how many bots share the emulator and DynamoDB (default 1).
	Replicas int
	// Approvals adds the rule "delete needs approval by Approver or Approvers in #approvals".
	Approvals bool
	// Configure edits the configuration before the bots start.
	Configure func(*config.Config)
	// DynamoDBProxy routes the bots' DynamoDB traffic through a proxy the test can cut.
	DynamoDBProxy bool
	// Now is the bots' clock (default time.Now).
	Now func() time.Time
	// ExecutingTimeout is when an EXECUTING action counts as abandoned (default 5 min).
	ExecutingTimeout time.Duration
}

// Harness is a running world.
type Harness struct {
	T       testing.TB
	Slack   *slackemu.Server
	Config  *config.Config
	Pool    config.Pool
	Cognito *cip.Client
	Audit   *audit.Log
	State   *audit.Store
	Proxy   *testenv.Proxy // nil unless Options.DynamoDBProxy
	Bots    []*bot.Bot
}

// New starts everything and stops it when the test ends.
func New(t testing.TB, opts *Options) *Harness {
	t.Helper()
	if opts == nil {
		opts = &Options{}
	}
	awsCfg := testenv.AWSConfig(t)
	h := &Harness{T: t, Cognito: cip.NewFromConfig(awsCfg)}
	h.Pool = config.Pool{Name: PoolName, ID: createPool(t, h.Cognito), Region: "us-east-1"}

	emu := slackemu.New(slackemu.Options{TeamID: Team, AppToken: "xapp-1-test", BotToken: "xoxb-test", PingInterval: 2 * time.Second})
	t.Cleanup(emu.Close)
	emu.SetChannelName(Channel, "support-desk")
	emu.SetChannelName(Approvals, "approvals")
	emu.SetUserGroup(Approvers, []string{Approver2})
	h.Slack = emu

	h.Config = defaultConfig(h.Pool, emu, opts.Approvals)
	if opts.Configure != nil {
		opts.Configure(h.Config)
	}
	if probs := h.Config.Validate(); len(probs) > 0 {
		t.Fatalf("test configuration invalid: %v", probs.Err())
	}

	direct := audit.NewClient(awsCfg)
	if err := audit.Migrate(context.Background(), direct, audit.Tables{Audit: h.Config.Audit.Table, State: h.Config.Audit.StateTable}, t.Logf); err != nil {
		t.Fatalf("migrating tables: %v", err)
	}
	t.Cleanup(func() {
		// DynamoDB Local keeps every table in memory and sweeps TTL on each; drop ours.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, name := range []string{h.Config.Audit.Table, h.Config.Audit.StateTable} {
			_, _ = direct.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
		}
	})
	h.Audit = audit.NewLog(direct, h.Config.Audit.Table, h.Config.Audit.Retention.Std())
	h.State = audit.NewStore(direct, h.Config.Audit.StateTable, audit.WithExecutingTimeout(opts.ExecutingTimeout))

	botDDB := direct
	if opts.DynamoDBProxy {
		h.Proxy = testenv.NewProxy(t, hostOf(testenv.DynamoDBEndpoint()))
		botDDB = dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
			o.BaseEndpoint = aws.String(h.Proxy.URL())
			o.RetryMaxAttempts = 1
			o.DisableValidateResponseChecksum = true
		})
	}

	replicas := max(opts.Replicas, 1)
	ctx, cancel := context.WithCancel(context.Background())
	var running sync.WaitGroup
	t.Cleanup(func() { cancel(); running.Wait() })
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	guard := newPipelineGuard(t)
	for i := range replicas {
		api := slack.New(emu.BotToken(), slack.OptionAppLevelToken(emu.AppToken()), slack.OptionAPIURL(emu.APIURL()))
		client := socketmode.New(api)
		groups := rbac.NewCachedGroups(func(ctx context.Context, id string) ([]string, error) {
			return api.GetUserGroupMembersContext(ctx, id)
		}, time.Minute)
		b, err := bot.New(bot.Config{
			Settings:      h.Config,
			Users:         guardedUsers{cognito.New(awsCfg, cognito.Options{}), guard},
			Audit:         guardedAudit{audit.NewLog(botDDB, h.Config.Audit.Table, h.Config.Audit.Retention.Std()), guard},
			State:         audit.NewStore(botDDB, h.Config.Audit.StateTable, audit.WithExecutingTimeout(opts.ExecutingTimeout)),
			Policy:        rbac.New(h.Config, groups),
			Slack:         client,
			Logger:        log.Named("replica").With(zap.Int("replica", i)),
			Now:           opts.Now,
			SweepInterval: sweepEvery,
			WorkTimeout:   15 * time.Second,
		})
		if err != nil {
			t.Fatalf("building bot: %v", err)
		}
		h.Bots = append(h.Bots, b)
		running.Add(1)
		go func() { defer running.Done(); _ = b.Run(ctx, client) }()
	}
	h.ctx(func(ctx context.Context) error { return emu.WaitConnections(ctx, replicas) }, "bots connecting")
	return h
}
