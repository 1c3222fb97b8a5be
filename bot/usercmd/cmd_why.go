package usercmd

import (
	"context"
	"errors"
	"strconv"
	"time"

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

// why resolves the user, reads the pool's description and, where the pool
// records them, the last sign-in events, all in one audited step; then says in
// one sentence why the user can or cannot sign in, with the one button that
// fixes it when the viewer may run it.
func (b *OneUser) why(ctx context.Context, req *transport.Request, pool config.Pool, ref flows.TargetRef) error {
	var info cognito.PoolInfo
	var events []cognito.AuthEvent
	var resent time.Time
	u, err := b.ResolveOneThen(ctx, req, auditid.ForRequest(auditid.Find, req.Ref, "why", ref.Key()), pool, ref, flows.PickNext{Action: actions.Why},
		func(ctx context.Context, s pipeline.Services, u *cognito.User) error {
			var err error
			if info, err = s.Users.DescribePool(ctx, pool.ID); err != nil {
				return err
			}
			resent = lastResend(ctx, s.Log, pool.ID, u.Username)
			events, err = s.Users.AuthEvents(ctx, pool.ID, u.Username, historyEvents)
			if errors.Is(err, cognito.ErrAddOnNotEnabled) || errors.Is(err, cognito.ErrUnsupported) {
				return nil // the last sign-in is simply not known
			}
			return err
		})
	if u == nil || err != nil {
		return err
	}
	d := diagnose(*u, info, lastSuccessfulSignIn(events), resent, b.Now())
	var fix *views.CardButton
	allowed := b.Policy.Actions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, pool.Name)
	if items := cardItems(u, allowed, &d); d.Fix != "" && len(items) > 0 && items[0].Action == d.Fix {
		id := desk.NewSessionID()
		if err := desk.CardSessions.Save(ctx, b.Desk, req, id, desk.CardSession{Pool: pool.Name, Target: flows.IdentityOf(u), Items: items[:1]}); err != nil {
			return err
		}
		spec, _ := actions.Get(d.Fix)
		btn := cardButton(spec, items[0], id+"#"+strconv.Itoa(0))
		fix = &btn
	}
	b.Reply(ctx, req, deskview.WhyAnswer(u.Username, desk.ToPoolView(pool), deskview.DiagnosisView{Sentence: d.Sentence, Blocked: d.Blocked}, fix), desk.ReplyEphemeral)
	return nil
}
