package bot

import (
	"context"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// devices resolves the user and lists their devices (AdminListDevices) in one
// audited step. Viewers whose role grants forget-device here get a Forget
// button per device, whose value is an opaque session naming the exact user
// and device key.
func (b *Bot) devices(ctx context.Context, req *request, pool config.Pool, ref targetRef) error {
	var list []cognito.Device
	u, err := b.resolveOneThen(ctx, req, "find#"+hashKey(req.Ref, "devices", ref.key()), pool, ref, pickNext{Action: actions.Devices},
		func(ctx context.Context, s pipeline.Services, u *cognito.User) error {
			var err error
			list, err = s.Users.ListDevices(ctx, pool.ID, u.Username)
			return err
		})
	if u == nil || err != nil {
		return err
	}
	canForget := false
	for _, a := range b.policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, pool.Name) {
		canForget = canForget || a == actions.ForgetDevice
	}
	var vs []deskview.DeviceView
	for _, d := range list {
		v := deskview.DeviceView{Name: d.Name, LastIP: d.LastIP, Remembered: d.Remembered, LastUsed: d.LastAuthenticated}
		if canForget && d.Key != "" && len(vs) < 20 {
			v.ForgetValue = newSessionID()
			if err := b.saveSession(ctx, req, v.ForgetValue, kindDevice, deviceSession{Pool: pool.Name, Target: identityOf(u), Key: d.Key}); err != nil {
				return err
			}
		}
		vs = append(vs, v)
	}
	b.reply(ctx, req, deskview.DevicesList(u.Username, toPoolView(pool), vs), replyEphemeral)
	return nil
}

// forgetClick runs forget-device for the device a Forget button names, on
// exactly that user; Slack's confirm dialog was accepted.
func (b *Bot) forgetClick(ctx context.Context, req *request, value string) {
	var s deviceSession
	if !b.loadSession(ctx, req, value, kindDevice, &s) {
		return
	}
	spec, _ := actions.Get(actions.ForgetDevice)
	pool, found := b.cfg.PoolByName(s.Pool)
	if !found {
		b.reply(ctx, req, views.Notice("This pool is no longer configured, so nothing was done."), replyEphemeral)
		return
	}
	err := b.requestAction(ctx, req, actionRequest{spec: spec, pool: pool, target: exactly(s.Target), args: map[string]string{"device": s.Key},
		confirmed: true, pendingID: "p" + hashKey(value, string(spec.Action))})
	if err != nil {
		b.answerError(ctx, req, spec.Action, err)
	}
}
