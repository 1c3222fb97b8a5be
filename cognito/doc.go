// Package cognito is cognito-bot's user directory: a thin, rate-limited wrapper
// over the Cognito User Pools admin API that speaks the help desk's language.
//
// It exists so the Slack side never touches the AWS SDK: Directory turns what an
// agent typed into safe ListUsers filters, pages the way a chat reply needs,
// checks preconditions Cognito would only report as opaque errors (a password
// reset for a user who cannot receive the code, writes to immutable attributes),
// and translates SDK errors into the documented sentinels in errors.go, which
// callers match with errors.Is.
//
// Pool IDs carry their Region ("eu-west-1_AbC123"); Directory keeps one client
// and one set of client-side rate limiters per Region, because Cognito's request
// quotas are per account per Region (see Quotas). Every mutating method returns
// a Result with Cognito's request ID for the audit log; RequestID extracts it
// from a failed call's error.
//
// A mutating call whose answer was lost (transport error, timeout, context
// ending in flight, HTTP 5xx) fails with ErrOutcomeUnknown rather than with
// whatever an SDK retry answered, since the first attempt may have done the work.
//
// Nothing is called without an audit intent: both Directory (one SDK middleware,
// guard.go, which also takes the call's rate token) and memdir.Memory refuse a call
// whose context carries no open intent (OpenIntent, which only the pipeline
// uses) with ErrNoIntent, except under one of the two named exemptions
// (ForStartupCheck, ForSandboxSeeding).
//
// The in-memory twin, package cognito/memdir, holds the same directory (pools from
// AddPool, users in any state from Seed), for the browser sandbox and the
// bot's behaviour tests; one contract test suite runs against both. It reuses
// this package's rules (FindArgs, ListArgs and the page tokens, CheckWritable,
// ChangedAttributes, ResetBlocker, CheckPassword, SchemaOf, PoolInfoOf), so
// the two cannot drift apart. Package cognito/quota holds the request quotas
// and the token buckets the guard middleware takes from.
//
// Only IDs (pool, username, request ID) are logged; passwords and attribute
// values never are.
package cognito
