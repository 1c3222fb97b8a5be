package bottest

import (
	"context"
	"time"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// The desk operations, guarded like the others.

func (u guardedUsers) ResendInvitation(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check(ctx, "ResendInvitation")
	return u.Directory.ResendInvitation(ctx, pool, name)
}

func (u guardedUsers) ConfirmSignUp(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check(ctx, "ConfirmSignUp")
	return u.Directory.ConfirmSignUp(ctx, pool, name)
}

func (u guardedUsers) MarkVerified(ctx context.Context, pool, name, attribute string) (cognito.Result, error) {
	u.check(ctx, "MarkVerified")
	return u.Directory.MarkVerified(ctx, pool, name, attribute)
}

func (u guardedUsers) ResetMFA(ctx context.Context, pool, name string) (cognito.Result, error) {
	u.check(ctx, "ResetMFA")
	return u.Directory.ResetMFA(ctx, pool, name)
}

func (u guardedUsers) ForgetDevice(ctx context.Context, pool, name, key string) (cognito.Result, error) {
	u.check(ctx, "ForgetDevice")
	return u.Directory.ForgetDevice(ctx, pool, name, key)
}

func (u guardedUsers) TokenLifetime(ctx context.Context, pool string) (time.Duration, error) {
	u.check(ctx, "TokenLifetime")
	return u.Directory.TokenLifetime(ctx, pool)
}

func (u guardedUsers) AuthEvents(ctx context.Context, pool, name string, max int) ([]cognito.AuthEvent, error) {
	u.check(ctx, "AuthEvents")
	return u.Directory.AuthEvents(ctx, pool, name, max)
}

func (u guardedUsers) ListDevices(ctx context.Context, pool, name string) ([]cognito.Device, error) {
	u.check(ctx, "ListDevices")
	return u.Directory.ListDevices(ctx, pool, name)
}

func (u guardedUsers) DescribePool(ctx context.Context, pool string) (cognito.PoolInfo, error) {
	u.check(ctx, "DescribePool")
	return u.Directory.DescribePool(ctx, pool)
}
