package awsdir

import (
	"context"

	"github.com/cognito-bot/cognito-bot/cognito"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

// guardMiddlewareID names the middleware in the SDK's stack.
const guardMiddlewareID = "CognitoBotIntentAndRate"

// guard is the one gate every SDK call of the Directory passes, whatever the
// operation, so a new operation is guarded and limited without new code here:
//
//  1. the intent rule (RequireIntent): a call whose context carries no open
//     audit intent, nor a named exemption, is refused and nothing is sent;
//  2. the rate: the call waits for its quota category's token (quota.Set.Wait,
//     which finds the category by the operation's name), so the bot stays
//     under Cognito's per-Region quotas (cognito-and-dynamodb.md §5).
//
// It sits in the Initialize step, outside the SDK's retry loop: a call takes
// one token however often the SDK retries it (the SDK backs off on its own),
// and each page of an SDK paginator is a call of its own. A wait that fails
// (the context ended) means the call was never sent, which the outcome
// tracking in outcome.go relies on.
func guard(s *quota.Set) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(guardMiddlewareID, func(
			ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler,
		) (middleware.InitializeOutput, middleware.Metadata, error) {
			op := middleware.GetOperationName(ctx)
			if err := cognito.RequireIntent(ctx, op); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, err
			}
			if err := s.Wait(ctx, op); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, err
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
	}
}

// intentMiddlewareID names the intent-only middleware in the SDK's stack.
const intentMiddlewareID = "CognitoBotIntentRule"

// WithIntentRule is a client option for a Cognito client built outside
// Directory (the start-up check, the sandbox's seeding): every call passes
// RequireIntent, so such a client can only be used under an audit intent or
// its caller's named exemption (ForStartupCheck, ForSandboxSeeding).
func WithIntentRule(o *cip.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(intentMiddlewareID, func(
			ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler,
		) (middleware.InitializeOutput, middleware.Metadata, error) {
			if err := cognito.RequireIntent(ctx, middleware.GetOperationName(ctx)); err != nil {
				return middleware.InitializeOutput{}, middleware.Metadata{}, err
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
	})
}
