package cognito

import "time"

// Result describes a successful mutating call, for the audit log.
type Result struct {
	// RequestID is Cognito's request ID (x-amzn-RequestId) of the call, "" when
	// no call was needed or the endpoint sent none.
	RequestID string
	// TokensValidFor is, for a call that ends a user's sessions, how long
	// access and ID tokens already issued may stay valid (apps verifying JWTs
	// locally accept them until they expire): 0 when not applicable or the
	// pool has no app clients, negative when it could not be read.
	TokensValidFor time.Duration
}
