package bottest

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// pipelineGuard checks, in every end-to-end test, the bot's first rule: no Cognito
// call happens unless an audit intent has been written and not yet finished. It
// wraps the real audit log and the real directory, so the emulator tests prove the
// invariant on every path they drive.
type pipelineGuard struct {
	t    testing.TB
	open atomic.Int64
}

// guardedAudit counts open intents.
type guardedAudit struct {
	bot.AuditLog
	g *pipelineGuard
}

func (a guardedAudit) Begin(ctx context.Context, e audit.Entry) error {
	err := a.AuditLog.Begin(ctx, e)
	if err == nil {
		a.g.open.Add(1)
	}
	return err
}

func (a guardedAudit) Finish(ctx context.Context, id string, o audit.Outcome, msg, rid string) error {
	a.g.open.Add(-1)
	return a.AuditLog.Finish(ctx, id, o, msg, rid)
}

// guardedUsers fails the test when Cognito is reached with no open intent.
type guardedUsers struct {
	bot.UserDirectory
	g *pipelineGuard
}

func (u guardedUsers) check(op string) {
	if u.g.open.Load() <= 0 {
		u.g.t.Errorf("%s reached Cognito without an open audit intent", op)
	}
}

func (u guardedUsers) GetUser(ctx context.Context, pool, name string) (*cognito.User, error) {
	u.check("GetUser")
	return u.UserDirectory.GetUser(ctx, pool, name)
}

func (u guardedUsers) FindUsers(ctx context.Context, pool, q string, max int) ([]cognito.User, error) {
	u.check("FindUsers")
	return u.UserDirectory.FindUsers(ctx, pool, q, max)
}

func (u guardedUsers) ListUsers(ctx context.Context, pool string, f cognito.ListFilter, limit int, tok string) (cognito.Page, error) {
	u.check("ListUsers")
	return u.UserDirectory.ListUsers(ctx, pool, f, limit, tok)
}

func (u guardedUsers) DisableUser(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check("DisableUser")
	return u.UserDirectory.DisableUser(ctx, pool, name)
}

func (u guardedUsers) EnableUser(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check("EnableUser")
	return u.UserDirectory.EnableUser(ctx, pool, name)
}

func (u guardedUsers) ResetPassword(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check("ResetPassword")
	return u.UserDirectory.ResetPassword(ctx, pool, name)
}

func (u guardedUsers) SignOut(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check("SignOut")
	return u.UserDirectory.SignOut(ctx, pool, name)
}

func (u guardedUsers) DeleteUser(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check("DeleteUser")
	return u.UserDirectory.DeleteUser(ctx, pool, name)
}
