package cognito

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
)

// ErrNoIntent means a call reached the user directory without an open audit
// intent in its context, and was refused before anything was sent: the bot's
// first rule is that nothing happens to a user that the audit log has not
// recorded first. It is a bug in the bot, never the user's doing.
var ErrNoIntent = errors.New("refused: a Cognito call without an open audit intent")

// intentKey carries the *openIntent a context runs under.
type intentKey struct{}

// openIntent is one audit intent, open from OpenIntent until its close func runs.
type openIntent struct {
	id     string
	closed atomic.Bool
}

// OpenIntent returns ctx marked as running under the audit intent auditID,
// which the caller has just written, and the func that closes it once the
// work is done: from then on a call with that context (say, from a goroutine
// that outlived the step) is refused like one without any intent. Only the
// pipeline (bot/pipeline.Do) opens intents; tests that arrange users open one
// named after the fixture.
func OpenIntent(ctx context.Context, auditID string) (context.Context, func()) {
	in := &openIntent{id: auditID}
	return context.WithValue(ctx, intentKey{}, in), func() { in.closed.Store(true) }
}

// IntentID returns the open audit intent ctx runs under, "" when there is none
// or it has been closed.
func IntentID(ctx context.Context) string {
	if in, ok := ctx.Value(intentKey{}).(*openIntent); ok && !in.closed.Load() {
		return in.id
	}
	return ""
}

// Exemption names the only work allowed to call Cognito without an audit
// intent. Each has exactly one caller, so a reviewer sees every one of them.
type Exemption string

const (
	// ExemptStartupCheck is the start-up and `check-config --online` check that
	// every configured pool exists (internal/app). It may make only the calls
	// that check needs (startupCheckOperations), not every operation whose
	// name sounds like a read: GetUserAttributeVerificationCode sends a code
	// and GetTokensFromRefreshToken issues tokens.
	ExemptStartupCheck Exemption = "start-up check"
	// ExemptSandboxSeeding is the sandbox creating and filling its own fresh
	// pool on emulated AWS endpoints (internal/sandbox.AWSBackend).
	ExemptSandboxSeeding Exemption = "sandbox seeding"
)

// exemptKey carries the Exemption a context runs under.
type exemptKey struct{}

// ForStartupCheck marks ctx as the start-up check's (ExemptStartupCheck).
func ForStartupCheck(ctx context.Context) context.Context {
	return context.WithValue(ctx, exemptKey{}, ExemptStartupCheck)
}

// ForSandboxSeeding marks ctx as the sandbox seeding's (ExemptSandboxSeeding).
func ForSandboxSeeding(ctx context.Context) context.Context {
	return context.WithValue(ctx, exemptKey{}, ExemptSandboxSeeding)
}

// RequireIntent is the intent rule both backends apply before any call: it
// returns nil when ctx carries an open audit intent or an exemption that
// covers operation (the Cognito API name, e.g. "AdminDisableUser"), else an
// error matching ErrNoIntent.
func RequireIntent(ctx context.Context, operation string) error {
	if IntentID(ctx) != "" {
		return nil
	}
	switch ctx.Value(exemptKey{}) {
	case ExemptSandboxSeeding:
		return nil
	case ExemptStartupCheck:
		if slices.Contains(startupCheckOperations, operation) {
			return nil
		}
		return fmt.Errorf("%w: the start-up check may only read the pool (%s), not call %s",
			ErrNoIntent, strings.Join(startupCheckOperations, ", "), operation)
	}
	return fmt.Errorf("%w (%s)", ErrNoIntent, operation)
}

// startupCheckOperations are the calls the start-up check makes: it reads
// each pool's description, nothing else.
var startupCheckOperations = []string{"DescribeUserPool"}
