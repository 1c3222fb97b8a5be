package awsdir

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cognito-bot/cognito-bot/cognito"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// sdkError pairs a sentinel with the SDK error it was derived from, so both
// errors.Is(err, sentinel) and errors.As(err, &typedSDKError) keep working.
type sdkError struct {
	kind error
	err  error
}

func (e *sdkError) Error() string { return e.kind.Error() + ": " + e.err.Error() }

func (e *sdkError) Unwrap() []error { return []error{e.kind, e.err} }

// translate maps an SDK error to the package's sentinels. resourceNotFound is
// the sentinel that ResourceNotFoundException means for this call (a missing pool,
// or a missing group for group operations). Errors without a known cause, such as
// a cancelled context, are returned unchanged.
func translate(err error, resourceNotFound error) error {
	if err == nil {
		return nil
	}
	if kind := classify(err, resourceNotFound); kind != nil {
		return &sdkError{kind: kind, err: err}
	}
	return err
}

// classify matches on smithy.APIError's ErrorCode rather than errors.As on each
// typed exception: every typed exception implements smithy.APIError with its own
// code, while a code the operation does not model (LimitExceededException from
// AdminGetUser, say) only arrives as *smithy.GenericAPIError (doc §4). One switch
// over the code therefore covers the typed match and the fallback alike.
func classify(err error, resourceNotFound error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "UserNotFoundException":
			return cognito.ErrUserNotFound
		case "UsernameExistsException":
			return cognito.ErrUserExists
		case "AliasExistsException":
			return cognito.ErrAliasExists
		case "InvalidPasswordException", "PasswordHistoryPolicyViolationException":
			return cognito.ErrInvalidPassword
		case "InvalidParameterException":
			return cognito.ErrInvalidParameter
		case "NotAuthorizedException":
			return cognito.ErrNotAuthorized
		case "UnsupportedUserStateException":
			return cognito.ErrUnsupportedState
		case "TooManyRequestsException":
			return cognito.ErrThrottled
		case "LimitExceededException":
			return cognito.ErrLimitExceeded
		case "CodeDeliveryFailureException":
			return cognito.ErrCodeDelivery
		case "ResourceNotFoundException":
			// Cognito says "User pool <id> does not exist." for a pool and
			// "Group not found." (moto: the group's name) for a group.
			if resourceNotFound == nil || strings.Contains(strings.ToLower(ae.ErrorMessage()), "user pool") {
				return cognito.ErrPoolNotFound
			}
			return resourceNotFound
		case "UserPoolAddOnNotEnabledException":
			return cognito.ErrAddOnNotEnabled
		case "UnknownOperationException", "InvalidAction", "NotImplemented":
			return cognito.ErrUnsupported
		}
	}
	if isUnsupportedResponse(err) {
		return cognito.ErrUnsupported
	}
	return nil
}

// isUnsupportedResponse reports whether err is an HTTP 500/501 whose body is not
// a JSON API error at all: what moto answers (an HTML page) for operations it does
// not implement. Real Cognito reports its own failures as JSON
// (InternalErrorException), which still deserialize and are still retried.
func isUnsupportedResponse(err error) bool {
	var de *smithy.DeserializationError
	if !errors.As(err, &de) {
		return false
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		return false
	}
	code := re.HTTPStatusCode()
	return code == http.StatusInternalServerError || code == http.StatusNotImplemented
}
