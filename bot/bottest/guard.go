package bottest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aws/smithy-go/middleware"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/testguard"
)

// pipelineGuard checks, in every end-to-end test, the bot's first rule: a
// Cognito call happens only inside a pipeline step whose audit intent has been
// written and not yet finished. The directories enforce it themselves, in
// production: both refuse a call whose context carries no open intent
// (cognito.RequireIntent, the SDK's guard middleware and Memory alike), for
// every operation, with no per-method code to forget. The guard adds what a
// test can know:
//
//   - a refused call is a bug, so an outcome recorded with that refusal fails
//     the test (guardedAudit);
//   - on the wire, every SDK call of a bot (whatever its operation) must carry
//     an intent the audit log really holds open at that moment: the very
//     request's own, written and not yet finished (sdkCheck).
type pipelineGuard struct {
	t    testing.TB
	mu   sync.Mutex
	open map[string]bool
	// grants judges each call by its intent's action (iamguard.go).
	grants *testguard.Grants
}

func newPipelineGuard(t testing.TB) *pipelineGuard {
	return &pipelineGuard{t: t, open: map[string]bool{}, grants: testguard.NewGrants(t, iamPolicyOf)}
}

func (g *pipelineGuard) set(id string, open bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if open {
		g.open[id] = true
	} else {
		delete(g.open, id)
	}
}

func (g *pipelineGuard) isOpen(id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return id != "" && g.open[id]
}

// refused fails the test when an outcome says a Cognito call was refused for
// want of an intent.
func (g *pipelineGuard) refused(id, msg string) {
	if strings.Contains(msg, cognito.ErrNoIntent.Error()) {
		g.t.Errorf("intent %s: a Cognito call was refused outside an open audit intent: %s", id, msg)
	}
}

// guardedAudit tracks which intents are open.
type guardedAudit struct {
	pipeline.AuditLog
	g *pipelineGuard
}

func (a guardedAudit) Begin(ctx context.Context, e audit.Entry) error {
	err := a.AuditLog.Begin(ctx, e)
	if err == nil {
		a.g.grants.Intent(e.ID, e.Action)
		a.g.set(e.ID, true)
	}
	return err
}

func (a guardedAudit) Finish(ctx context.Context, id string, o audit.Outcome, msg, rid string) error {
	a.g.set(id, false)
	a.g.refused(id, msg)
	return a.AuditLog.Finish(ctx, id, o, msg, rid)
}

func (a guardedAudit) FinishResolved(ctx context.Context, id string, o audit.Outcome, msg, rid string, t audit.Target) error {
	a.g.set(id, false)
	a.g.refused(id, msg)
	return a.AuditLog.FinishResolved(ctx, id, o, msg, rid, t)
}

// sdkCheck is an SDK middleware for one replica's Cognito client: every call,
// of any operation, must run under an intent the audit log holds open now. A
// stopped replica's calls are not checked: none of them leaves it.
func (g *pipelineGuard) sdkCheck(link *replica) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("BottestIntentGuard", func(
			ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler,
		) (middleware.InitializeOutput, middleware.Metadata, error) {
			if id := cognito.IntentID(ctx); !link.stopped() && !g.isOpen(id) {
				g.t.Errorf("%s reached Cognito outside an open audit intent (intent %q)", middleware.GetOperationName(ctx), id)
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.Before)
	}
}

// Fixture returns ctx under an audit intent named for the test's own
// arranging and checking (creating users, reading their state back): the
// directories refuse every call without an intent, and a test is no
// exception. The bots never see this context.
func Fixture(ctx context.Context) context.Context {
	ctx, _ = cognito.OpenIntent(ctx, "bottest#fixture")
	return ctx
}
