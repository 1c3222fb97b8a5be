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
	"cmp"
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/budget"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
	"github.com/cognito-bot/cognito-bot/internal/testguard"
)

// Slack identities used by the default configuration.
const (
	Team      = "T0TEST"
	Admin     = "UADMIN"     // every action
	Admin2    = "UADMIN2"    // every action
	Support   = "USUPPORT"   // lookup, list, enable, disable, reset-password, revoke, audit, pools
	Nobody    = "UNOBODY"    // no role
	Approver  = "UAPPROVER"  // approves deletes directly
	Approver2 = "UAPPROVER2" // approves deletes through the user group below
	Approvers = "SAPPROVERS" // Slack user group containing Approver2
	Channel   = "CDESK"
	Approvals = "CAPPROVALS"
	PoolName  = "test"
	// OtherPoolName is the second pool of Options.SecondPool.
	OtherPoolName = "other"
	SlashName     = "/cognito"
	// wait bounds every wait for the bots (a reply, a message, a file, an
	// audit entry): generous, as the suite runs with -race on small shared CI
	// machines, where a throttled dry run alone can take 20 s of SDK backoff.
	// Nothing waits for it to pass; it only bounds how long a failure takes.
	wait       = 60 * time.Second
	sweepEvery = 200 * time.Millisecond
)

// Harness is a running world.
type Harness struct {
	// guard checks every test's Cognito calls: none refused for want of an
	// intent, and (on the wire) each inside an intent the audit log holds open
	// and granted by the least-privilege policy of that intent's action.
	guard *pipelineGuard

	T      testing.TB
	Slack  *slackemu.Server
	Config *config.Config
	Pool   config.Pool
	// OtherPool is the second pool, when Options.SecondPool asked for one.
	OtherPool config.Pool
	// Users is the directory the bots act on, without the test guard: tests
	// create users with it and read their state back, under Fixture(ctx) (it
	// refuses calls without an intent, as in production).
	Users Directory
	// Audit and State are the bots' audit log and state store, read directly.
	Audit pipeline.AuditLog
	State bot.StateStore
	Proxy *testenv.Proxy // nil unless Options.DynamoDBProxy
	// Throttle is nil unless Options.CognitoThrottle, CognitoErrors or CognitoCount.
	Throttle *Throttle
	Bots     []*bot.Bot
	// stop cancels the bots and waits for their Run to return.
	stop func()
	// replicas are the bots' networks, for StopReplica; wire is whether
	// their storage is behind it.
	replicas []*replica
	wire     bool
}

// Directory is what tests do to users besides what the bot does: the bot's
// directory (pipeline.Directory) and setting a password.
type Directory interface {
	pipeline.Directory
	SetPassword(ctx context.Context, poolID, username, password string, permanent bool) (cognito.Result, error)
}

// backend is where users, the audit log and state live for one harness.
type backend struct {
	users Directory
	// bots makes the directory a replica acts on; nil means users itself.
	bots   func(*replica) pipeline.Directory
	poolID string
	// addPool makes one more empty pool and returns its id.
	addPool func() string
	// start makes the audit log and state store for the configuration's tables:
	// one pair to read directly and a constructor of a pair per replica, all
	// sharing storage, whose requests go through that replica's network.
	start func(cfg *config.Config) (read stores, replica func(*replica) stores)
}

// stores is one audit log and state store.
type stores struct {
	audit pipeline.AuditLog
	state bot.StateStore
}

// New starts everything and stops it when the test ends. By default users live in
// the in-memory directory and the audit log and state in the in-memory store —
// the same product code the sandbox runs on, which passes the same contract tests
// as moto and DynamoDB Local — so a test takes milliseconds and needs no
// emulator. Options.Wire (or DynamoDBProxy) runs against moto and DynamoDB Local
// instead, and skips when they are not running.
func New(t testing.TB, opts *Options) *Harness {
	t.Helper()
	if opts == nil {
		opts = &Options{}
	}
	h := &Harness{T: t}
	h.wire = opts.Wire || opts.DynamoDBProxy || opts.CognitoThrottle > 0 || opts.CognitoErrors > 0 || opts.CognitoCount || opts.FakeCognito != nil || opts.CognitoVia != nil
	if h.wire {
		// Skips now, without waiting for a place and before any check is
		// set up (the leak check's goroutine dump is most of a skipped
		// test's cost), when the emulators are not running.
		testenv.AWSConfig(t)
	}
	h.guard = newPipelineGuard(t)
	testguard.Watch(t)
	var be backend
	if h.wire {
		takeWireSlot(t)
		be = wireBackend(t, h, opts)
	} else {
		be = memoryBackend(t, opts)
	}
	h.Users = be.users
	h.Pool = config.Pool{Name: PoolName, ID: be.poolID, Region: "us-east-1"}
	if opts.SecondPool {
		h.OtherPool = config.Pool{Name: OtherPoolName, ID: be.addPool(), Region: "us-east-1"}
	}

	emu := slackemu.New(slackemu.Options{TeamID: Team, AppToken: "xapp-1-test", BotToken: "xoxb-test", PingInterval: 2 * time.Second,
		UploadHead: opts.SlackUploadHead})
	t.Cleanup(emu.Close)
	emu.SetChannelName(Channel, "support-desk")
	emu.SetChannelName(Approvals, "approvals")
	emu.SetUserGroup(Approvers, []string{Approver2})
	h.Slack = emu

	h.Config = defaultConfig(h.Pool, emu, opts.Approvals)
	if opts.SecondPool {
		h.Config.Pools = append(h.Config.Pools, h.OtherPool)
	}
	if opts.Configure != nil {
		opts.Configure(h.Config)
	}
	if probs := h.Config.Validate(); len(probs) > 0 {
		t.Fatalf("test configuration invalid: %v", probs.Err())
	}
	read, storesOf := be.start(h.Config)
	h.Audit, h.State = read.audit, read.state

	replicas := max(opts.Replicas, 1)
	ctx, cancel := context.WithCancel(context.Background())
	var running sync.WaitGroup
	h.stop = sync.OnceFunc(func() { cancel(); running.Wait() })
	t.Cleanup(h.stop)
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	if opts.LogTo != nil {
		sink := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(opts.LogTo), zap.DebugLevel)
		log = zap.New(zapcore.NewTee(log.Core(), sink))
	}
	guard := h.guard
	for i := range replicas {
		link := &replica{calls: opts.AWSCalls}
		h.replicas = append(h.replicas, link)
		api := slack.New(emu.BotToken(), slack.OptionAppLevelToken(emu.AppToken()), slack.OptionAPIURL(emu.APIURL()),
			slack.OptionHTTPClient(cuttable{r: link, next: &http.Client{}}))
		client := socketmode.New(api, socketmode.OptionDialer(link.dialer()))
		r := storesOf(link)
		var share bot.BudgetShare
		if opts.SharedBudget {
			leases, ok := r.state.(budget.Leases)
			if !ok || !h.wire {
				t.Fatal("bottest: SharedBudget needs Options.Wire (the replicas' leases live in DynamoDB Local)")
			}
			s := budget.New(leases, ReplicaName(i), opts.BudgetLease, log.WithOptions(silenceOnStop(link)).Named("budget"))
			link.budget, share = s, s
		}
		if opts.WrapState != nil {
			r.state = opts.WrapState(r.state)
		}
		var users pipeline.Directory = be.users
		if be.bots != nil {
			users = be.bots(link)
		}
		if opts.WrapUsers != nil {
			users = opts.WrapUsers(users)
		}
		var auditLog pipeline.AuditLog = guardedAudit{r.audit, guard}
		if opts.WrapAudit != nil {
			auditLog = opts.WrapAudit(auditLog)
		}
		groups := rbac.NewCachedGroups(func(ctx context.Context, id string) ([]string, error) {
			return api.GetUserGroupMembersContext(ctx, id)
		}, cmp.Or(opts.GroupRefresh, time.Minute), groupClock(opts.Now)...)
		b, err := bot.New(bot.Config{
			Settings:          h.Config,
			Users:             users,
			Audit:             auditLog,
			State:             r.state,
			Policy:            rbac.New(h.Config, groups),
			Slack:             client,
			Logger:            log.WithOptions(silenceOnStop(link)).Named("replica").With(zap.Int("replica", i)),
			Now:               opts.Now,
			SweepInterval:     cmp.Or(opts.SweepEvery, sweepEvery),
			WorkTimeout:       cmp.Or(opts.WorkTimeout, 15*time.Second),
			PerUserRate:       cmp.Or(opts.PerUserRate, 1000),
			PerUserBurst:      cmp.Or(opts.PerUserBurst, 1000),
			PerUserQueue:      opts.PerUserQueue,
			BulkLease:         cmp.Or(opts.BulkLease, time.Second),
			BulkHeartbeat:     opts.BulkHeartbeat,
			BulkProgressEvery: cmp.Or(opts.BulkProgressEvery, 50*time.Millisecond),
			AbandonAfter:      opts.AbandonAfter,
			Observer:          opts.Observer,
			BulkOwner:         ReplicaName(i),
			Budget:            share,
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

// Stop stops every bot as a shutdown does, and returns once their Run has
// returned; the test's cleanup does the same.
func (h *Harness) Stop() { h.stop() }

// groupClock makes the user-group cache follow the bots' clock.
func groupClock(now func() time.Time) []rbac.CacheOption {
	if now == nil {
		return nil
	}
	return []rbac.CacheOption{rbac.WithClock(now)}
}

// Clock is a clock tests move by hand; its zero value starts at the real time of
// its first reading.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the real time plus every Advance so far.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
