package cognito

import (
	"errors"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Sentinel errors. Every error a directory method returns for a known cause
// matches one of these with errors.Is and, from awsdir, still carries the SDK error (with its
// request ID, see RequestID) further down the chain, so callers can choose what
// to tell a desk agent without parsing messages.
var (
	// ErrUserNotFound: no user with that username (or alias) in the pool.
	ErrUserNotFound = errors.New("user not found")
	// ErrUserExists: CreateUser with a username already taken.
	ErrUserExists = errors.New("user already exists")
	// ErrAliasExists: the email or phone is already another user's alias.
	ErrAliasExists = errors.New("email or phone already used by another user")
	// ErrInvalidPassword: the password breaks the pool's password policy (or history).
	ErrInvalidPassword = errors.New("password does not meet the pool's policy")
	// ErrInvalidParameter: Cognito (or a directory, before calling it) refused an
	// argument: a malformed pool ID, a limit out of range, an unusable filter, ...
	ErrInvalidParameter = errors.New("invalid parameter")
	// ErrInvalidQuery: what the agent typed cannot be turned safely into a
	// ListUsers filter (quotes, backslashes, control characters, bad phone).
	ErrInvalidQuery = errors.New("invalid search query")
	// ErrNotAuthorized: Cognito's NotAuthorizedException, which for admin calls
	// means the action is not allowed in the user's current state (e.g. disabled).
	ErrNotAuthorized = errors.New("not allowed in the user's current state")
	// ErrUnsupportedState: UnsupportedUserStateException, e.g. resending an
	// invitation to a user who already signed in.
	ErrUnsupportedState = errors.New("operation not supported in the user's state")
	// ErrThrottled: Cognito still answered TooManyRequestsException after the
	// SDK's retries; the account's quota is shared with the apps, try again later.
	ErrThrottled = errors.New("throttled by cognito")
	// ErrLimitExceeded: a per-user or per-resource limit (LimitExceededException),
	// e.g. too many password resets for this user. It is not retried (see awsdir/retry.go).
	ErrLimitExceeded = errors.New("cognito limit exceeded for this user")
	// ErrPoolNotFound: the user pool does not exist in its Region.
	ErrPoolNotFound = errors.New("user pool not found")
	// ErrGroupNotFound: the group does not exist in the pool.
	ErrGroupNotFound = errors.New("group not found")
	// ErrUnknownAttribute: the attribute is not in the pool's schema.
	ErrUnknownAttribute = errors.New("attribute not in the pool's schema")
	// ErrImmutableAttribute: the attribute cannot be changed after creation.
	ErrImmutableAttribute = errors.New("attribute is immutable")
	// ErrResetNotPossible: a password reset cannot work for this user; the error
	// is a *ResetBlockedError explaining why and what to do instead.
	ErrResetNotPossible = errors.New("password reset not possible")
	// ErrCodeDelivery: Cognito could not deliver the invitation or code. For
	// CreateUser the user may exist anyway (see CreateUser).
	ErrCodeDelivery = errors.New("message could not be delivered")
	// ErrUnsupported: the endpoint does not implement the operation (an emulator
	// answering with an HTML 500 page, or UnknownOperationException).
	ErrUnsupported = errors.New("operation not supported by the endpoint")
	// ErrOutcomeUnknown: a mutating call may or may not have been applied. An
	// attempt's answer was lost (transport error, timeout, context ending in
	// flight, HTTP 5xx) and no later attempt settled it: read the user before
	// trying again. Such errors never match the sentinel of a retry's answer (a
	// retried delete answering "user not found" is not ErrUserNotFound).
	ErrOutcomeUnknown = errors.New("outcome unknown — check the user")
	// ErrSearchIncomplete: FindUsers stopped after its page cap (awsdir: 10 Cognito pages)
	// without finishing the search; the users it returns (maybe none) are not
	// all the matches. Ask for a more specific query.
	ErrSearchIncomplete = errors.New("search stopped before the end of the pool")
	// ErrAddOnNotEnabled: UserPoolAddOnNotEnabledException. Sign-in history
	// (AuthEvents) needs the pool's threat protection add-on (Plus tier).
	ErrAddOnNotEnabled = errors.New("the pool's threat protection add-on is not enabled")
	// ErrDeviceNotFound: ForgetDevice named a device the user does not have.
	ErrDeviceNotFound = errors.New("device not found")
)

// ResetBlockedError explains why a password reset cannot work for a user, and
// what the agent can do instead. It matches ErrResetNotPossible.
type ResetBlockedError struct {
	Reason string // why, e.g. "the user is disabled"
	Hint   string // what to do instead, e.g. "resend the invitation instead"
}

// Error reads as one sentence an agent can be shown as is.
func (e *ResetBlockedError) Error() string {
	return "password reset not possible: " + e.Reason + " (" + e.Hint + ")"
}

// Unwrap makes errors.Is(err, ErrResetNotPossible) hold.
func (e *ResetBlockedError) Unwrap() error { return ErrResetNotPossible }

// RequestID returns the Cognito request ID of a failed call from err's chain, for
// the audit log and for AWS support, or "" if the call never got a response.
func RequestID(err error) string {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.ServiceRequestID()
	}
	return ""
}
