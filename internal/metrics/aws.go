package metrics

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// CognitoAPIOptions returns AWS SDK middleware that counts every Cognito call by
// operation and result, and every throttled attempt. Append it to the APIOptions of
// the aws.Config the Cognito client is built from: the SDK then reports its own
// calls, retries included, and the Cognito layer needs no metrics code.
func (m *Metrics) CognitoAPIOptions() []func(*middleware.Stack) error {
	return []func(*middleware.Stack) error{
		func(s *middleware.Stack) error {
			// Initialize runs once per call, outside the retry loop: the final result.
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("cognito-bot/metrics/calls",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					out, md, err := next.HandleInitialize(ctx, in)
					m.cognitoCalls.WithLabelValues(awsmiddleware.GetOperationName(ctx), resultOf(err)).Inc()
					return out, md, err
				}), middleware.After) // after the SDK names the operation in ctx
		},
		func(s *middleware.Stack) error {
			// After the retry middleware in Finalize: once per attempt.
			return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("cognito-bot/metrics/throttles",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					out, md, err := next.HandleFinalize(ctx, in)
					if err != nil && throttleCodes.IsErrorThrottle(err) == aws.TrueTernary {
						m.throttles.WithLabelValues(awsmiddleware.GetOperationName(ctx)).Inc()
					}
					return out, md, err
				}), middleware.After)
		},
	}
}

// throttleCodes recognizes throttling the way the SDK's own retryer does
// (TooManyRequestsException for Cognito).
var throttleCodes = retry.IsErrorThrottles(retry.DefaultThrottles)

// resultOf names a call's result for a label: "ok", the AWS error code (a closed set
// per API model), "canceled" or "error" for anything without a code.
func resultOf(err error) string {
	if err == nil {
		return "ok"
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() != "" {
		return apiErr.ErrorCode()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "canceled"
	}
	return "error"
}
