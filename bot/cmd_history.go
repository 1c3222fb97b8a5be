package bot

import (
	"context"
	"errors"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
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
func (b *Bot) history(ctx context.Context, req *request, pool config.Pool, ref targetRef) error {
	var events []cognito.AuthEvent
	noAddOn := false
	u, err := b.resolveOneThen(ctx, req, "find#"+hashKey(req.Ref, "history", ref.key()), pool, ref, pickNext{Action: actions.History},
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
	v := deskview.HistoryView{Username: u.Username, Pool: toPoolView(pool), NoAddOn: noAddOn}
	for _, e := range events {
		v.Events = append(v.Events, deskview.EventView{Time: e.Time, Type: e.Type, Result: e.Result, IP: e.IP, City: e.City, Country: e.Country, Device: e.Device})
	}
	b.reply(ctx, req, deskview.SignInHistory(v), replyEphemeral)
	return nil
}
