package awsdir

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cognito-bot/cognito-bot/cognito"
)

func TestTranslateTypedAndGeneric(t *testing.T) {
	generic := func(code, msg string) error { return &smithy.GenericAPIError{Code: code, Message: msg} }
	tests := []struct {
		name     string
		err      error
		resource error
		want     error
	}{
		{"typed user not found", &types.UserNotFoundException{Message: aws.String("User does not exist.")}, nil, cognito.ErrUserNotFound},
		{"generic user not found", generic("UserNotFoundException", "x"), nil, cognito.ErrUserNotFound},
		{"username exists", &types.UsernameExistsException{}, nil, cognito.ErrUserExists},
		{"alias exists", &types.AliasExistsException{}, nil, cognito.ErrAliasExists},
		{"invalid password", &types.InvalidPasswordException{}, nil, cognito.ErrInvalidPassword},
		{"password history", &types.PasswordHistoryPolicyViolationException{}, nil, cognito.ErrInvalidPassword},
		{"invalid parameter", &types.InvalidParameterException{}, nil, cognito.ErrInvalidParameter},
		{"not authorized", &types.NotAuthorizedException{Message: aws.String("User is disabled")}, nil, cognito.ErrNotAuthorized},
		{"unsupported state", &types.UnsupportedUserStateException{}, nil, cognito.ErrUnsupportedState},
		{"throttled", &types.TooManyRequestsException{Message: aws.String("Rate exceeded")}, nil, cognito.ErrThrottled},
		{"typed limit", &types.LimitExceededException{}, nil, cognito.ErrLimitExceeded},
		// AdminGetUser does not model LimitExceeded: only the code is there.
		{"generic limit", generic("LimitExceededException", "Attempt limit exceeded"), nil, cognito.ErrLimitExceeded},
		{"code delivery", &types.CodeDeliveryFailureException{}, nil, cognito.ErrCodeDelivery},
		{"pool not found", &types.ResourceNotFoundException{Message: aws.String("User pool us-east-1_x does not exist.")}, nil, cognito.ErrPoolNotFound},
		{"pool not found in group op", &types.ResourceNotFoundException{Message: aws.String("User pool us-east-1_x does not exist.")}, cognito.ErrGroupNotFound, cognito.ErrPoolNotFound},
		{"group not found", &types.ResourceNotFoundException{Message: aws.String("Group not found.")}, cognito.ErrGroupNotFound, cognito.ErrGroupNotFound},
		{"moto group not found", generic("ResourceNotFoundException", "admins"), cognito.ErrGroupNotFound, cognito.ErrGroupNotFound},
		{"unknown operation", generic("UnknownOperationException", ""), nil, cognito.ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sdkErr := &smithy.OperationError{ServiceID: "Cognito Identity Provider", OperationName: "Op", Err: tt.err}
			err := fmt.Errorf("doing it: %w", translate(sdkErr, tt.resource))
			if !errors.Is(err, tt.want) {
				t.Fatalf("errors.Is(%v, %v) = false", err, tt.want)
			}
			var ae smithy.APIError // the SDK cause stays in the chain
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.err.(smithy.APIError).ErrorCode() {
				t.Fatalf("SDK error lost from %v", err)
			}
		})
	}
}

func TestTranslateLeavesUnknownErrorsAlone(t *testing.T) {
	for _, err := range []error{
		context.Canceled,
		&types.InternalErrorException{},
		&smithy.GenericAPIError{Code: "SomethingNew"},
	} {
		got := translate(err, nil)
		if got != err {
			t.Errorf("translate(%v) = %v, want it unchanged", err, got)
		}
	}
	if translate(nil, nil) != nil {
		t.Error("translate(nil) != nil")
	}
}

// responseError builds the error chain the SDK produces for an HTTP response.
func responseError(status int, requestID string, cause error) error {
	return &smithy.OperationError{ServiceID: "Cognito Identity Provider", OperationName: "AdminListDevices",
		Err: &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{
				Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
				Err:      cause,
			},
			RequestID: requestID,
		}}
}

func TestUnsupportedResponse(t *testing.T) {
	html500 := responseError(500, "r1", &smithy.DeserializationError{Err: errors.New("invalid character '<'")})
	if got := translate(html500, nil); !errors.Is(got, cognito.ErrUnsupported) {
		t.Fatalf("HTML 500: got %v, want ErrUnsupported", got)
	}
	html503 := responseError(503, "r2", &smithy.DeserializationError{Err: errors.New("invalid character '<'")})
	if got := translate(html503, nil); errors.Is(got, cognito.ErrUnsupported) {
		t.Fatal("HTML 503 (an outage, not a missing operation) mapped to ErrUnsupported")
	}
	json500 := responseError(500, "r3", &types.InternalErrorException{})
	if got := translate(json500, nil); errors.Is(got, cognito.ErrUnsupported) {
		t.Fatal("JSON InternalErrorException mapped to ErrUnsupported")
	}
}

func TestRequestID(t *testing.T) {
	err := fmt.Errorf("disabling user %q: %w", "bob",
		translate(responseError(400, "abc-123", &types.UserNotFoundException{}), nil))
	if got := cognito.RequestID(err); got != "abc-123" {
		t.Fatalf("RequestID = %q, want abc-123", got)
	}
	if !errors.Is(err, cognito.ErrUserNotFound) {
		t.Fatal("sentinel lost")
	}
	if got := cognito.RequestID(errors.New("no response")); got != "" {
		t.Fatalf("RequestID without response = %q", got)
	}
}

func TestCognitoRetryer(t *testing.T) {
	r := withCognitoRetryables(retry.NewStandard())
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"throttle", &types.TooManyRequestsException{}, true},
		{"typed limit", &types.LimitExceededException{}, false},
		{"generic limit", &smithy.GenericAPIError{Code: "LimitExceededException"}, false},
		{"HTML 500", responseError(500, "", &smithy.DeserializationError{Err: errors.New("<html>")}), false},
		{"JSON 500", responseError(500, "", &types.InternalErrorException{}), true},
		{"user not found", &types.UserNotFoundException{}, false},
	}
	for _, tt := range tests {
		if got := r.IsErrorRetryable(tt.err); got != tt.want {
			t.Errorf("%s: IsErrorRetryable = %v, want %v", tt.name, got, tt.want)
		}
	}
	if r.MaxAttempts() != 3 {
		t.Errorf("MaxAttempts = %d, want the wrapped retryer's 3", r.MaxAttempts())
	}
	if _, ok := r.(aws.RetryerV2); !ok {
		t.Error("wrapper is not a RetryerV2")
	}
	if withCognitoRetryables(nil) != nil {
		t.Error("nil retryer not kept nil")
	}
}
