package awsdir

import (
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognito-bot/cognito-bot/cognito"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/middleware"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

// Directory is the user directory over one or more user pools. Pool IDs encode
// their Region ("eu-west-1_AbC123"), so Directory keeps one SDK client and one
// set of rate limiters per Region, created on first use; the limiters are shared
// by all pools of that Region because Cognito's quotas are per account per Region.
// A Directory is safe for concurrent use.
type Directory struct {
	clientFor    func(region string, lim *quota.Set) cognitoAPI
	quotas       quota.Quotas
	log          *zap.Logger
	clock        *clock
	onWait       func(category string, waited time.Duration)
	listPageSize int32 // Cognito page size ListUsers asks for; tests lower it

	mu      sync.Mutex
	regions map[string]cognitoAPI // guarded, rate-limited client per Region

	pools  *ttlCache[*types.UserPoolType] // DescribeUserPool, per pool ID
	groups *ttlCache[[]string]            // ListGroups, per pool ID
	// lifetimes caches TokenLifetime (app clients' token validity), per pool ID.
	lifetimes *ttlCache[time.Duration]
}

// Options configures New. The zero value is usable.
type Options struct {
	// Quotas are the client-side request rates; zero fields take AWS's defaults.
	Quotas quota.Quotas
	// Logger receives debug lines with pool IDs, usernames and request IDs only
	// (never passwords or attribute values); nil means zap.NewNop().
	Logger *zap.Logger
	// CacheTTL is how long DescribePool/schema and ListGroups results are reused;
	// zero means 5 minutes. Both calls sit in small quota categories (15 and 20
	// RPS per account per Region), hence the cache.
	CacheTTL time.Duration
	// OnLimiterWait, if set, is called after every call that had to wait for
	// its quota category's client-side rate limiter, with the category's name
	// ("UserUpdate", "UserList", ...) and how long the call waited (also when its
	// context ended meanwhile), so metrics can show when the bot runs at its
	// quota. Calls that passed without waiting are not reported. It must be
	// safe for concurrent use and return quickly.
	OnLimiterWait func(category string, waited time.Duration)
}

// defaultCacheTTL keeps pool descriptions and group lists fresh enough for a
// help desk while sparing the small UserPoolRead/UserPoolResourceRead quotas.
const defaultCacheTTL = 5 * time.Minute

// New returns a Directory that builds, per Region, a Cognito client from cfg
// (credentials, retry mode, endpoint overrides such as
// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER) with cfg.Region replaced by the
// pool's Region, and LimitExceeded and unimplemented-operation errors excluded
// from retries (see retry.go).
func New(cfg aws.Config, opts Options) *Directory {
	return newDirectory(sdkClients(cfg), opts, nil)
}

// sdkClients returns the factory of real per-Region clients used by New: each
// call passes the guard middleware (guard.go) with the Region's limiters.
func sdkClients(cfg aws.Config) func(region string, lim *quota.Set) cognitoAPI {
	return func(region string, lim *quota.Set) cognitoAPI {
		return cip.NewFromConfig(cfg, func(o *cip.Options) {
			o.Region = region
			o.Retryer = withCognitoRetryables(o.Retryer)
			o.APIOptions = append(o.APIOptions, guard(lim))
		})
	}
}

// newDirectory is New with the SDK client factory and clock injected, for tests.
func newDirectory(clientFor func(region string, lim *quota.Set) cognitoAPI, opts Options, c *clock) *Directory {
	if c == nil {
		c = realClock()
	}
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	ttl := opts.CacheTTL
	if ttl <= 0 {
		ttl = defaultCacheTTL
	}
	return &Directory{
		clientFor:    clientFor,
		quotas:       opts.Quotas.WithDefaults(),
		log:          log.Named("cognito"),
		clock:        c,
		onWait:       opts.OnLimiterWait,
		listPageSize: cognito.MaxPageSize,
		regions:      map[string]cognitoAPI{},
		pools:        newTTLCache[*types.UserPoolType](ttl, c.Now),
		groups:       newTTLCache[[]string](ttl, c.Now),
		lifetimes:    newTTLCache[time.Duration](ttl, c.Now),
	}
}

// api returns the guarded, rate-limited client for poolID's Region, creating it
// (and its limiters) on first use.
func (d *Directory) api(poolID string) (cognitoAPI, error) {
	region, err := cognito.PoolRegion(poolID)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	api, ok := d.regions[region]
	if !ok {
		api = d.clientFor(region, quota.NewSet(d.quotas, d.clock, d.onWait))
		d.regions[region] = api
	}
	return api, nil
}

// resultOf extracts the request ID from an SDK output's ResultMetadata.
func resultOf(md middleware.Metadata) cognito.Result {
	id, _ := awsmiddleware.GetRequestIDMetadata(md)
	return cognito.Result{RequestID: id}
}

// logDone records a successful mutation by the pool and AWS request IDs only:
// who was changed is the audit log's to record, not the operators' log's.
func (d *Directory) logDone(op, poolID string, r cognito.Result) {
	d.log.Debug(op, zap.String("pool_id", poolID), zap.String("request_id", r.RequestID))
}
