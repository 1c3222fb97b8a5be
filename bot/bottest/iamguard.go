package bottest

import (
	"context"

	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/iampolicy"
)

// iamCheck is an SDK middleware for a replica's Cognito client that checks, for
// every call of every wire test, that the least-privilege policy `cognito-bot
// iam-policy` writes for a role granted only the calling intent's action allows
// it (testguard.Grants over iampolicy.CognitoActions). Calls outside an intent
// are the pipeline guard's business (it fails them).
func (g *pipelineGuard) iamCheck(link *replica) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("bottest/iam",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if link == nil || !link.stopped() {
					g.grants.Check(pipeline.IntentID(ctx), middleware.GetOperationName(ctx))
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

// iamPolicyOf is the Cognito part of the policy of a role granted only action.
func iamPolicyOf(action string) []string {
	return iampolicy.CognitoActions([]actions.Action{actions.Action(action)})
}
