package bot

import (
	"context"
	"slices"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

func parseLookup(b *Bot, req *request, args []string) (invocation, error) {
	a, err := b.parseUserArgs(args, nil, []string{"public"})
	if err != nil {
		return invocation{}, err
	}
	return invocation{Run: func(ctx context.Context) error {
		return b.lookup(ctx, req, a.pool, typed(a.query), a.bools["public"])
	}}, nil
}

// lookup finds the user (audited like every Cognito read) and shows the card, or a
// short list to pick from when several users match.
func (b *Bot) lookup(ctx context.Context, req *request, pool config.Pool, ref targetRef, public bool) error {
	u, err := b.resolveOne(ctx, req, "find#"+hashKey(req.Ref, ref.key()), pool, ref, pickNext{Action: actions.Lookup, Public: public})
	if u == nil || err != nil {
		return err
	}
	return b.showCard(ctx, req, pool, u, public)
}

// showCard renders the lookup card. Ephemeral cards carry buttons for exactly the
// actions the viewer may run on this pool here; their value is an opaque session
// id naming the exact user shown, never authority.
func (b *Bot) showCard(ctx context.Context, req *request, pool config.Pool, u *cognito.User, public bool) error {
	if public {
		m := views.LookupCard(toUserView(*u), toPoolView(pool), true, nil)
		if _, _, err := b.slack.PostMessageContext(ctx, req.Channel, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)); err != nil {
			b.reply(ctx, req, views.Notice("Couldn't post in this channel (invite the bot first?): "+err.Error()), replyEphemeral)
		}
		return nil
	}
	buttons, err := b.cardButtons(ctx, req, pool, u)
	if err != nil {
		return err
	}
	b.reply(ctx, req, views.LookupCard(toUserView(*u), toPoolView(pool), false, buttons), b.replaceIfClicked(req))
	return nil
}

// cardButtons are the card buttons for exactly the actions the viewer may run
// on this pool here, backed by one card session naming the exact user.
func (b *Bot) cardButtons(ctx context.Context, req *request, pool config.Pool, u *cognito.User) ([]views.CardButton, error) {
	allowed := b.policy.AllowedActions(ctx, pipeline.PolicyActor(req.Actor), req.Channel, pool.Name)
	var buttons []views.CardButton
	sessionID := ""
	for _, spec := range actions.CardActions() {
		if !slices.Contains(allowed, spec.Action) || !offered(spec.Action, u) {
			continue
		}
		if sessionID == "" {
			sessionID = newSessionID()
			if err := b.saveSession(ctx, req, sessionID, kindCard, cardSession{Pool: pool.Name, Target: identityOf(u)}); err != nil {
				return nil, err
			}
		}
		btn := views.CardButton{Action: string(spec.Action), Words: words(spec.Action), Style: spec.ButtonStyle, Value: sessionID}
		if spec.Destructive {
			btn.Confirm = spec.Detail
		}
		buttons = append(buttons, btn)
	}
	return buttons, nil
}

// offered reports whether a card button makes sense for the user's state.
func offered(a actions.Action, u *cognito.User) bool {
	switch a {
	case actions.Disable:
		return u.Enabled
	case actions.Enable:
		return !u.Enabled
	}
	return true
}
