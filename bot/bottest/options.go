package bottest

import (
	"io"
	"time"

	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Options adjust the default world; nil means defaults.
type Options struct {
	// Replicas is how many bots share the emulator and DynamoDB (default 1).
	Replicas int
	// Approvals adds the rule "delete needs approval by Approver or Approvers in #approvals".
	Approvals bool
	// Configure edits the configuration before the bots start.
	Configure func(*config.Config)
	// Wire runs against moto and DynamoDB Local instead of the in-memory
	// directory and store; the test skips when the emulators are not running.
	Wire bool
	// DynamoDBProxy (implies Wire) routes the bots' DynamoDB traffic through a
	// proxy the test can cut.
	DynamoDBProxy bool
	// Now is the bots' clock (default time.Now).
	Now func() time.Time
	// ExecutingTimeout is when an EXECUTING action counts as abandoned (default 5 min).
	ExecutingTimeout time.Duration
	// PerUserRate and PerUserBurst bound one person's interactions (default: high
	// enough that tests typing fast are never throttled).
	PerUserRate  float64
	PerUserBurst int
	// PerUserQueue is how many of one person's requests may wait their turn
	// past their rate (default: the bot's, 20).
	PerUserQueue int
	// SecondPool adds a second pool, OtherPoolName, after the default one.
	SecondPool bool
	// GroupRefresh is how long Slack user-group members are cached (default 1 min).
	GroupRefresh time.Duration
	// AbandonAfter is when an open audit intent counts as abandoned (default 5 min).
	AbandonAfter time.Duration
	// LogTo, when set, also receives every log line of the bots at debug
	// level, as JSON, so a test can assert what is never logged.
	LogTo io.Writer
	// BulkProgressEvery spaces bulk progress updates (default 50 ms, so tests
	// see several).
	BulkProgressEvery time.Duration
	// BulkLease is the job lease (default 1 s, so takeovers in tests are quick;
	// production's is 10 s).
	BulkLease time.Duration
	// BulkHeartbeat is how often the lease is renewed and lapsed jobs looked
	// for (default a third of BulkLease, as in production).
	BulkHeartbeat time.Duration
	// MemoryPool edits the in-memory pool before it is created (groups, app
	// clients, threat protection); Users is then a *memdir.Memory to Seed.
	MemoryPool func(*memdir.PoolSpec)
	// Observer is told what the bots do, as the metrics are (default: nothing).
	Observer bot.Observer
	// DirectoryQuotas are the Wire directory's own client-side rates (zero
	// fields: AWS's defaults), as the app sets them from quotas.*.
	DirectoryQuotas quota.Quotas
	// CognitoThrottle (implies Wire), when above 0, puts Harness.Throttle
	// between the bots and moto: it answers that fraction of the bots' Cognito
	// requests (every round(1/CognitoThrottle)-th) with TooManyRequestsException.
	// The test's own Users still talk to moto directly.
	CognitoThrottle float64
	// CognitoCount (implies Wire) puts Harness.Throttle between the bots and
	// moto refusing nothing, to count the bots' Cognito calls.
	CognitoCount bool
	// CognitoErrors (implies Wire) is CognitoThrottle with Cognito's
	// InternalErrorException (HTTP 500) as the answer instead.
	CognitoErrors float64
	// WrapState, when set, wraps each bot's state store, so a test can hold a
	// call of the bot's back (the harness's own State stays unwrapped).
	WrapState func(bot.StateStore) bot.StateStore
	// WrapUsers, when set, wraps the directory each bot acts on, so a test can
	// make Cognito answer as the emulators cannot (an undelivered invitation).
	WrapUsers func(pipeline.Directory) pipeline.Directory
	// WrapAudit, when set, wraps the audit log each bot writes to (the
	// harness's own Audit stays unwrapped), so a test can lose a write as a
	// bot that stopped mid-call never makes it.
	WrapAudit func(pipeline.AuditLog) pipeline.AuditLog
	// FakeCognito (implies Wire) answers the named operations (the
	// X-Amz-Target suffix, such as "AdminListDevices") for the bots itself:
	// a fake endpoint for operations moto lacks, and for those only; every
	// other request goes to moto. Tests that use it say so in their names.
	FakeCognito map[string]FakeOperation
	// CognitoVia (implies Wire), when set, is given moto's endpoint and
	// returns the endpoint the bots send their Cognito requests to instead: a
	// fake endpoint for one operation, in another process, that forwards the
	// rest to moto. Benchmarks that use it say so in their names.
	CognitoVia func(moto string) string
	// SlackUploadHead keeps only the first bytes of each uploaded file in the
	// emulator (slackemu.Options.UploadHead), for benchmarks of huge files.
	SlackUploadHead int
	// WorkTimeout bounds one interaction's work (default 15 s).
	WorkTimeout time.Duration
	// SweepEvery is how often the bots' sweepers run (default 200 ms; the
	// product's is 30 s), for tests that wait for a sweep or two.
	SweepEvery time.Duration
	// SharedBudget (with Wire) gives each replica its part of one
	// deployment-wide Cognito budget, as the app does: a lease row per
	// replica in the state table (renewed through the replica's own network,
	// so StopReplica ends its renewals), followed by its Cognito limiters
	// (DirectoryQuotas, the AWS defaults when zero) and its bulk job limits.
	SharedBudget bool
	// BudgetLease is the replica leases' length (default budget.DefaultLease).
	BudgetLease time.Duration
	// AWSCalls, when set (with Wire), is told of every AWS call the bots make
	// on the wire, Cognito and DynamoDB, when it ends: for benchmarks that show
	// where an interaction's time goes. It is called from the bots' goroutines.
	AWSCalls func(AWSCall)
}

// AWSCall is one HTTP request a bot made to an AWS endpoint.
type AWSCall struct {
	// Operation is the request's X-Amz-Target ("DynamoDB_20120810.PutItem",
	// "AWSCognitoIdentityProviderService.ListUsers").
	Operation string
	// Start is when the request was sent, Took how long its answer took.
	Start time.Time
	Took  time.Duration
}
