package awsdir

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
)

// cognitoRetryer wraps the client's configured retryer (standard or adaptive,
// with whatever attempts and backoff the aws.Config asks for) and refuses to
// retry two kinds of error the SDK would otherwise retry:
//
//   - LimitExceededException. The SDK lists it among its throttle codes, but in
//     Cognito it means a per-user or per-resource limit (too many password
//     resets for this user, ...). Retrying cannot succeed within seconds, and
//     each attempt counts against the same limit (doc pitfall 5). ResetPassword
//     and SetPassword additionally run with RetryMaxAttempts=1.
//   - An HTTP 500/501 whose body is not a JSON API error: the endpoint does not
//     implement the operation (moto's HTML page), so three attempts would only
//     waste a second before the same ErrUnsupported.
//
// Everything else (TooManyRequestsException, JSON 5xx, connection errors)
// keeps the SDK's retry behaviour.
type cognitoRetryer struct {
	aws.RetryerV2
}

// withCognitoRetryables wraps r; it is installed as a client option in New.
func withCognitoRetryables(r aws.Retryer) aws.Retryer {
	if r == nil {
		return nil
	}
	v2, ok := r.(aws.RetryerV2)
	if !ok {
		v2 = retryerV1{r}
	}
	return cognitoRetryer{v2}
}

// IsErrorRetryable vetoes the two non-retryable cases, then defers to the SDK.
func (r cognitoRetryer) IsErrorRetryable(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "LimitExceededException" {
		return false
	}
	if isUnsupportedResponse(err) {
		return false
	}
	return r.RetryerV2.IsErrorRetryable(err)
}

// retryerV1 adapts a retryer that predates aws.RetryerV2.
type retryerV1 struct{ aws.Retryer }

func (r retryerV1) GetAttemptToken(context.Context) (func(error) error, error) {
	return r.GetInitialToken(), nil
}
