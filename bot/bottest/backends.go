package bottest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// memoryPoolID is the in-memory pool every memory-backed harness gets.
const memoryPoolID = "us-east-1_BotTest"

// memoryBackend keeps users in memdir.Memory and the audit log and state in
// audit's memory store, shared by every replica exactly as a DynamoDB table would be.
func memoryBackend(t testing.TB, opts *Options) backend {
	users := memdir.New()
	spec := memdir.PoolSpec{
		ID: memoryPoolID, Name: "bottest",
		Attributes: []memdir.AttributeSpec{{Name: "custom:tenant"}, {Name: "custom:employee_id", Immutable: true}},
		Groups:     testGroups,
	}
	if opts.MemoryPool != nil {
		opts.MemoryPool(&spec)
	}
	err := users.AddPool(spec)
	if err != nil {
		t.Fatalf("creating the in-memory pool: %v", err)
	}
	return backend{
		users: users, poolID: memoryPoolID,
		addPool: func() string {
			id := "us-east-1_BotTestOther"
			if err := users.AddPool(memdir.PoolSpec{ID: id, Name: "bottest-other"}); err != nil {
				t.Fatalf("creating the second in-memory pool: %v", err)
			}
			return id
		},
		start: func(cfg *config.Config) (stores, func(*replica) stores) {
			var clock []audit.Option
			if opts.Now != nil {
				clock = append(clock, audit.WithClock(opts.Now))
			}
			log := audit.NewMemoryLog(cfg.Audit.Retention.Std(), clock...)
			state := state.NewMemoryStore(append(clock, audit.WithExecutingTimeout(opts.ExecutingTimeout))...)
			shared := stores{audit: log, state: state}
			return shared, func(*replica) stores { return shared }
		},
	}
}

// wireBackend uses moto for Cognito and DynamoDB Local for the audit log and state,
// with a fresh pool and fresh tables; it skips the test when they are not running.
func wireBackend(t testing.TB, h *Harness, opts *Options) backend {
	awsCfg := testenv.AWSConfig(t)
	idp := cip.NewFromConfig(awsCfg)
	poolID := createPool(t, idp)
	direct := audit.NewClient(awsCfg)
	be := backend{
		users: awsdir.New(awsCfg, awsdir.Options{Quotas: opts.DirectoryQuotas}), poolID: poolID,
		addPool: func() string { return createPool(t, idp) },
	}
	botCfg := awsCfg.Copy()
	switch {
	case (opts.CognitoThrottle > 0 || opts.CognitoErrors > 0 || opts.CognitoCount) && opts.FakeCognito != nil:
		t.Fatal("bottest: CognitoThrottle or CognitoErrors and FakeCognito cannot be combined")
	case opts.CognitoThrottle > 0 && opts.CognitoErrors > 0:
		t.Fatal("bottest: CognitoThrottle and CognitoErrors cannot be combined")
	case opts.CognitoThrottle > 0 || opts.CognitoErrors > 0 || opts.CognitoCount:
		h.Throttle = newThrottle(t, testenv.CognitoEndpoint(), max(opts.CognitoThrottle, opts.CognitoErrors), opts.CognitoErrors > 0)
		// The endpoint variable outranks BaseEndpoint; drop the sources it is read from.
		botCfg.ConfigSources = nil
		botCfg.BaseEndpoint = aws.String(h.Throttle.URL())
	case opts.FakeCognito != nil:
		fake := newFakeCognito(t, testenv.CognitoEndpoint(), opts.FakeCognito)
		botCfg.ConfigSources = nil
		botCfg.BaseEndpoint = aws.String(fake.srv.URL)
	case opts.CognitoVia != nil:
		botCfg.ConfigSources = nil
		botCfg.BaseEndpoint = aws.String(opts.CognitoVia(testenv.CognitoEndpoint()))
	}
	// Each replica has its own directory, as each process has in production,
	// so StopReplica can cut one off.
	be.bots = func(r *replica) pipeline.Directory {
		cfg := botCfg.Copy()
		cfg.HTTPClient = r.awsClient(botCfg.HTTPClient)
		cfg.APIOptions = append(cfg.APIOptions, h.guard.sdkCheck(r), h.guard.iamCheck(r))
		q := opts.DirectoryQuotas
		q.Budget = r.budget
		return awsdir.New(cfg, awsdir.Options{Quotas: q})
	}
	be.start = func(cfg *config.Config) (stores, func(*replica) stores) {
		tables := audit.Tables{Audit: cfg.Audit.Table, State: cfg.Audit.StateTable}
		if err := audit.Migrate(context.Background(), direct, tables, t.Logf); err != nil {
			t.Fatalf("migrating tables: %v", err)
		}
		t.Cleanup(func() {
			// DynamoDB Local keeps every table in memory and sweeps TTL on each; drop ours.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for _, name := range []string{tables.Audit, tables.State} {
				_, _ = direct.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
			}
		})
		if opts.DynamoDBProxy {
			h.Proxy = testenv.NewProxy(t, hostOf(testenv.DynamoDBEndpoint()))
		}
		retention := cfg.Audit.Retention.Std()
		// The audit log and the state store keep the bots' clock, as in memory, so a test that
		// moves it finds schedules due and requests expired on the wire too.
		stateOpts := []audit.Option{audit.WithExecutingTimeout(opts.ExecutingTimeout), audit.WithClock(opts.Now)}
		read := stores{
			audit: audit.NewLog(direct, tables.Audit, retention, audit.WithClock(opts.Now)),
			state: state.NewStore(direct, tables.State, stateOpts...),
		}
		return read, func(r *replica) stores {
			// Each replica has its own client, so StopReplica can cut it off.
			ddb := dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
				o.HTTPClient = r.awsClient(o.HTTPClient)
				o.DisableValidateResponseChecksum = true // an emulator's CRC32s cannot be trusted (audit.NewClient)
				if h.Proxy != nil {
					o.BaseEndpoint = aws.String(h.Proxy.URL())
					o.RetryMaxAttempts = 1
				}
			})
			return stores{
				audit: audit.NewLog(ddb, tables.Audit, retention, audit.WithClock(opts.Now)),
				state: state.NewStore(ddb, tables.State, stateOpts...),
			}
		}
	}
	return be
}
