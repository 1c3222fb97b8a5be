package awsdir

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/cognito-bot/cognito-bot/cognito"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// outcomeTracker watches every attempt the SDK makes for one mutating call and
// remembers the first whose outcome Cognito may know but we do not: the request
// may have arrived, but no clear answer came back (a lost or cut response, a
// timeout, the context ending in flight, an HTTP 5xx).
//
// This matters because the SDK retries such attempts, and the retry's answer
// describes the state the first attempt may already have changed: an
// AdminDeleteUser whose response was lost and whose retry answers
// UserNotFoundException most likely deleted the user. Reporting ErrUserNotFound
// (or ErrUserExists for a create) would then tell the agent, and the audit log,
// the opposite of what happened. Once an attempt was ambiguous, any failure of
// the call is therefore reported as ErrOutcomeUnknown; a success stays a
// success, since the last attempt did the work.
type outcomeTracker struct {
	mu    sync.Mutex
	first error // first ambiguous attempt's error, nil if none
}

// option installs the tracker as a per-call SDK option. Its middleware sits just
// inside the retry loop, so it sees each attempt's own error.
func (t *outcomeTracker) option(o *cip.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("CognitoBotOutcome", t.attempt), "Retry", middleware.After)
	})
}

func (t *outcomeTracker) attempt(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error) {
	sent := ctx.Err() == nil // a context already over sends nothing
	out, md, err := next.HandleFinalize(ctx, in)
	if sent && ambiguousAttempt(err) {
		t.mu.Lock()
		if t.first == nil {
			t.first = err
		}
		t.mu.Unlock()
	}
	return out, md, err
}

// result is translate for a mutating call: ErrOutcomeUnknown if any attempt
// was ambiguous and the call failed, else the translated error (nil stays nil).
func (t *outcomeTracker) result(err error, resourceNotFound error) error {
	if err == nil {
		return nil
	}
	t.mu.Lock()
	first := t.first
	t.mu.Unlock()
	if first != nil {
		return &outcomeUnknownError{first: first, last: err}
	}
	return translate(err, resourceNotFound)
}

// ambiguousAttempt reports whether an attempt's error leaves open whether
// Cognito carried the request out.
func ambiguousAttempt(err error) bool {
	if err == nil {
		return false
	}
	var ce *smithy.CanceledError
	if errors.As(err, &ce) { // the context ended while the request was out
		return true
	}
	var se *smithyhttp.RequestSendError
	if errors.As(err, &se) {
		return !neverSent(se.Err)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		// A 2xx whose body could not be read: Cognito did it, but we cannot
		// tell what it said, and a retry would answer for a changed user.
		if code := re.HTTPStatusCode(); code >= 200 && code < 300 {
			return true
		}
		return re.HTTPStatusCode() >= 500 && !isUnsupportedResponse(err)
	}
	return false
}

// neverSent reports whether a transport error happened before the request could
// leave: the connection was never made, or the host name did not resolve.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// outcomeUnknownError is what a mutating call returns when it cannot say whether
// Cognito applied it. It matches ErrOutcomeUnknown and carries the ambiguous
// attempt's error, but deliberately not the sentinel of a later retry's answer.
type outcomeUnknownError struct {
	first error // the ambiguous attempt
	last  error // what the call finally returned, for the message only
}

func (e *outcomeUnknownError) Error() string {
	msg := cognito.ErrOutcomeUnknown.Error() + ": " + e.first.Error()
	if !errors.Is(e.last, e.first) {
		msg += "; a retry then answered: " + e.last.Error()
	}
	return msg
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{cognito.ErrOutcomeUnknown, e.first} }
