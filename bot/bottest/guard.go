package bottest

import (
	"context"
	"sync"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// pipelineGuard checks, in every end-to-end test and for every single request, the
// bot's first rule: a Cognito call happens only inside a pipeline step whose audit
// intent has been written and not yet finished. The pipeline marks the context of
// each operation with its intent id; the guard wraps the real audit log and the real
// directory and checks that very id, so one request's open intent can never cover
// another request's call.
type pipelineGuard struct {
	t    testing.TB
	mu   sync.Mutex
	open map[string]bool
	// action is each intent's action, for the IAM check (iamguard.go).
	action map[string]string
}

func newPipelineGuard(t testing.TB) *pipelineGuard {
	return &pipelineGuard{t: t, open: map[string]bool{}, action: map[string]string{}}
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

// guardedAudit tracks which intents are open.
type guardedAudit struct {
	pipeline.AuditLog
	g *pipelineGuard
}

func (a guardedAudit) Begin(ctx context.Context, e audit.Entry) error {
	err := a.AuditLog.Begin(ctx, e)
	if err == nil {
		a.g.mu.Lock()
		a.g.action[e.ID] = e.Action
		a.g.mu.Unlock()
		a.g.set(e.ID, true)
	}
	return err
}

func (a guardedAudit) Finish(ctx context.Context, id string, o audit.Outcome, msg, rid string) error {
	a.g.set(id, false)
	return a.AuditLog.Finish(ctx, id, o, msg, rid)
}

func (a guardedAudit) FinishResolved(ctx context.Context, id string, o audit.Outcome, msg, rid string, t audit.Target) error {
	a.g.set(id, false)
	return a.AuditLog.FinishResolved(ctx, id, o, msg, rid, t)
}

// guardedUsers fails the test when Cognito is reached outside an open intent.
// A stopped replica's calls are not checked: none of them leaves it.
type guardedUsers struct {
	pipeline.Directory
	g    *pipelineGuard
	link *replica
}

func (u guardedUsers) check(ctx context.Context, op string) {
	if u.link != nil && u.link.stopped() {
		return
	}
	id := pipeline.IntentID(ctx)
	u.g.mu.Lock()
	open := id != "" && u.g.open[id]
	u.g.mu.Unlock()
	if !open {
		u.g.t.Errorf("%s reached Cognito outside an open audit intent (intent %q)", op, id)
	}
}

func (u guardedUsers) GetUser(ctx context.Context, pool, name string) (*cognito.User, error) {
	u.check(ctx, "GetUser")
	return u.Directory.GetUser(ctx, pool, name)
}

func (u guardedUsers) FindUsers(ctx context.Context, pool, q string, max int) ([]cognito.User, error) {
	u.check(ctx, "FindUsers")
	return u.Directory.FindUsers(ctx, pool, q, max)
}

func (u guardedUsers) ListUsers(ctx context.Context, pool string, f cognito.ListFilter, limit int, tok string) (cognito.Page, error) {
	u.check(ctx, "ListUsers")
	return u.Directory.ListUsers(ctx, pool, f, limit, tok)
}

func (u guardedUsers) DisableUser(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check(ctx, "DisableUser")
	return u.Directory.DisableUser(ctx, pool, name)
}

func (u guardedUsers) EnableUser(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check(ctx, "EnableUser")
	return u.Directory.EnableUser(ctx, pool, name)
}

func (u guardedUsers) ResetPassword(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check(ctx, "ResetPassword")
	return u.Directory.ResetPassword(ctx, pool, name)
}

func (u guardedUsers) SignOut(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check(ctx, "SignOut")
	return u.Directory.SignOut(ctx, pool, name)
}

func (u guardedUsers) DeleteUser(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check(ctx, "DeleteUser")
	return u.Directory.DeleteUser(ctx, pool, name)
}

func (u guardedUsers) CreateUser(ctx context.Context, pool string, in cognito.NewUser) (*cognito.User, cognito.Result, error) {
	u.check(ctx, "CreateUser")
	return u.Directory.CreateUser(ctx, pool, in)
}

func (u guardedUsers) UpdateAttributes(ctx context.Context, pool, name string, attrs map[string]string) ([]string, cognito.Result, error) {
	u.check(ctx, "UpdateAttributes")
	return u.Directory.UpdateAttributes(ctx, pool, name, attrs)
}

func (u guardedUsers) DeleteAttributes(ctx context.Context, pool, name string, names []string) (cognito.Result, error) {
	u.check(ctx, "DeleteAttributes")
	return u.Directory.DeleteAttributes(ctx, pool, name, names)
}

func (u guardedUsers) AddToGroup(ctx context.Context, pool, name, group string) (cognito.Result, error) {
	u.check(ctx, "AddToGroup")
	return u.Directory.AddToGroup(ctx, pool, name, group)
}

func (u guardedUsers) RemoveFromGroup(ctx context.Context, pool, name, group string) (cognito.Result, error) {
	u.check(ctx, "RemoveFromGroup")
	return u.Directory.RemoveFromGroup(ctx, pool, name, group)
}

func (u guardedUsers) PoolSchema(ctx context.Context, pool string) (cognito.PoolSchema, error) {
	u.check(ctx, "PoolSchema")
	return u.Directory.PoolSchema(ctx, pool)
}

func (u guardedUsers) DescribeGroups(ctx context.Context, pool string) ([]cognito.Group, error) {
	u.check(ctx, "DescribeGroups")
	return u.Directory.DescribeGroups(ctx, pool)
}
