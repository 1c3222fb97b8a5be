// Package awsdir is the user directory over Cognito User Pools through the AWS
// SDK: Directory, a thin, rate-limited wrapper over the admin API that speaks
// the help desk's language (package cognito's types and rules).
//
// It exists so the Slack side never touches the AWS SDK: Directory turns what an
// agent typed into safe ListUsers filters (cognito.FindArgs, cognito.ListArgs),
// pages the way a chat reply needs, checks preconditions Cognito would only
// report as opaque errors (cognito.ResetBlocker, cognito.CheckWritable), and
// translates SDK errors into cognito's sentinels (errors.go) and SDK types into
// cognito's (user.go, signin_*.go).
//
// Directory keeps one client and one set of client-side rate limiters
// (cognito/quota) per Region, because Cognito's request quotas are per account
// per Region. Every SDK call passes one middleware (guard.go): the intent rule
// (cognito.RequireIntent), then the call's rate token. Every mutating method
// returns a cognito.Result with Cognito's request ID for the audit log.
//
// A mutating call whose answer was lost (transport error, timeout, context
// ending in flight, HTTP 5xx) fails with cognito.ErrOutcomeUnknown rather than
// with whatever an SDK retry answered, since the first attempt may have done
// the work (outcome.go). LimitExceeded and unimplemented operations are not
// retried (retry.go).
//
// Its in-memory twin is cognito/memdir; the contract tests in this package
// (contract_*_test.go) run every case against both, Directory over moto when the
// emulators are configured. Only IDs are logged, never passwords or attribute
// values.
//
// It imports cognito and cognito/quota; only the wiring (internal/app,
// internal/sandbox, bot/bottest) imports it.
package awsdir
