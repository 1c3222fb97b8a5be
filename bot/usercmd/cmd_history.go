package usercmd

import (
	"context"
	"errors"

	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views/deskview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// historyEvents is how many sign-in events history shows.
const historyEvents = 20

// history resolves the user and reads their last sign-in events
// (AdminListUserAuthEvents) in one audited step. A pool without the threat
// protection add-on is said so plainly, not reported as a failure.
func (b *OneUser) history(ctx context.Context, req *transport.Request, pool config.Pool, ref flows.TargetRef) error {
	var events []cognito.AuthEvent
	noAddOn := false
	u, err := b.ResolveOneThen(ctx, req, auditid.ForRequest(auditid.Find, req.Ref, "history", ref.Key()), pool, ref, flows.PickNext{Action: actions.History},
		func(ctx context.Context, s pipeline.Services, u *cognito.User) error {
			var err error
			events, err = s.Users.AuthEvents(ctx, pool.ID, u.Username, historyEvents)
			if errors.Is(err, cognito.ErrAddOnNotEnabled) {
				noAddOn = true
				return nil
			}
			return err
		})
	if u == nil || err != nil {
		return err
	}
	v := deskview.HistoryView{Username: u.Username, Pool: desk.ToPoolView(pool), NoAddOn: noAddOn}
	for _, e := range events {
		v.Events = append(v.Events, deskview.EventView{Time: e.Time, Type: e.Type, Result: e.Result, IP: e.IP, City: e.City, Country: e.Country, Device: e.Device})
	}
	b.Reply(ctx, req, deskview.SignInHistory(v), desk.ReplyEphemeral)
	return nil
}
