package usercmd

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
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
func (b *OneUser) devices(ctx context.Context, req *transport.Request, pool config.Pool, ref flows.TargetRef) error {
	var list []cognito.Device
	u, err := b.ResolveOneThen(ctx, req, auditid.ForRequest(auditid.Find, req.Ref, "devices", ref.Key()), pool, ref, flows.PickNext{Action: actions.Devices},
		func(ctx context.Context, s pipeline.Services, u *cognito.User) error {
			var err error
			list, err = s.Users.ListDevices(ctx, pool.ID, u.Username)
			return err
		})
	if u == nil || err != nil {
		return err
	}
	canForget := false
	for _, a := range b.Policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, pool.Name) {
		canForget = canForget || a == actions.ForgetDevice
	}
	var vs []deskview.DeviceView
	for _, d := range list {
		v := deskview.DeviceView{Name: d.Name, LastIP: d.LastIP, Remembered: d.Remembered, LastUsed: d.LastAuthenticated}
		if canForget && d.Key != "" && len(vs) < 20 {
			v.ForgetValue = desk.NewSessionID()
			if err := desk.DeviceSessions.Save(ctx, b.Desk, req, v.ForgetValue, desk.DeviceSession{Pool: pool.Name, Target: flows.IdentityOf(u), Key: d.Key}); err != nil {
				return err
			}
		}
		vs = append(vs, v)
	}
	b.Reply(ctx, req, deskview.DevicesList(u.Username, desk.ToPoolView(pool), vs), desk.ReplyEphemeral)
	return nil
}

// ForgetClick runs forget-device for the device a Forget button names, on
// exactly that user; Slack's confirm dialog was accepted.
func (b *OneUser) ForgetClick(ctx context.Context, req *transport.Request, value string) {
	s, ok := desk.DeviceSessions.Load(ctx, b.Desk, req, value)
	if !ok {
		return
	}
	spec, _ := actions.Get(actions.ForgetDevice)
	pool, found := b.Cfg.PoolByName(s.Pool)
	if !found {
		b.Reply(ctx, req, views.Notice("This pool is no longer configured, so nothing was done."), desk.ReplyEphemeral)
		return
	}
	err := b.RequestAction(ctx, req, flows.ActionRequest{Spec: spec, Pool: pool, Target: flows.Exactly(s.Target), Args: map[string]string{"device": s.Key},
		Confirmed: true, PendingID: "p" + transport.HashKey(value, string(spec.Action))})
	if err != nil {
		b.AnswerError(ctx, req, spec.Action, err)
	}
}
