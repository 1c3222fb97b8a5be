package bottest

import (
	"context"
	"slices"

	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/iampolicy"
)

// iamCheck is an SDK middleware for a replica's Cognito client that checks, for
// every call of every wire test, that the least-privilege policy `cognito-bot
// iam-policy` writes for a role granted only the calling intent's action allows
// it. The per-action IAM lists in internal/actions are thereby checked against
// what the code really calls for each action, not only against the union. Calls
// outside an intent are the pipeline guard's business (it fails them).
func (g *pipelineGuard) iamCheck(link *replica) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("bottest/iam",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if link == nil || !link.stopped() {
					g.checkGranted(pipeline.IntentID(ctx), middleware.GetOperationName(ctx))
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

// checkGranted fails the test when operation, called under intent, is not in the
// policy of the intent's action.
func (g *pipelineGuard) checkGranted(intent, operation string) {
	if intent == "" {
		return
	}
	g.mu.Lock()
	action, ok := g.action[intent]
	g.mu.Unlock()
	if !ok {
		return
	}
	if !slices.Contains(iampolicy.CognitoActions([]actions.Action{actions.Action(action)}), "cognito-idp:"+operation) {
		g.t.Errorf("action %s called cognito-idp:%s (intent %s), which the IAM policy of a role granted %s lacks: add it to the action's IAM list in internal/actions",
			action, operation, intent, action)
	}
}
