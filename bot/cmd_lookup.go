package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

var lookupCommand = command{
	Name:    "lookup",
	Aliases: []string{"find", "user"},
	Action:  config.ActionLookup,
	Usage:   "<username | email | phone | sub> [--pool NAME] [--public]",
	Summary: "Show a user's card (only you see it unless --public, which masks email and phone)",
	Parse:   parseLookup,
}

// maxMatches is how many candidates a search shows to pick from.
const maxMatches = 10

func parseLookup(b *Bot, req *request, args []string) (invocation, error) {
	a, err := b.parseUserArgs(args, nil, []string{"public"})
	if err != nil {
		return invocation{}, err
	}
	return invocation{
		Target: audit.Target{Pool: a.pool.ID, Username: a.query},
		Run:    func(ctx context.Context) error { return b.lookup(ctx, req, a.pool, a.query, a.bools["public"]) },
	}, nil
}

// lookup finds the user (audited like every Cognito read) and shows the card, or a
// short list to pick from when several users match.
func (b *Bot) lookup(ctx context.Context, req *request, pool config.Pool, query string, public bool) error {
	u, err := b.resolveOne(ctx, req, req.Ref, pool, query, pickNext{Action: config.ActionLookup, Public: public})
	if u == nil || err != nil {
		return err
	}
	return b.showCard(ctx, req, pool, u, public)
}

// resolveOne resolves query to exactly one user for next.Action. When it returns no
// user the interaction is already answered: no match, a list to pick from, or a
// redelivery that was handled before.
func (b *Bot) resolveOne(ctx context.Context, req *request, auditID string, pool config.Pool, query string, next pickNext) (*cognito.User, error) {
	users, full, out := b.resolve(ctx, req, auditID, next.Action, pool, query)
	switch {
	case out.Duplicate:
		return nil, nil
	case out.Err != nil:
		return nil, out.Err
	case len(users) == 0:
		b.reply(ctx, req, views.Notice(fmt.Sprintf("No user in pool %s matches %q.", pool.Name, query)), replyEphemeral)
		return nil, nil
	case len(users) > 1:
		return nil, b.showMatches(ctx, req, pool, query, users, next)
	}
	return full, nil
}

// resolve runs FindUsers (and GetUser for a single match) as one audited operation.
func (b *Bot) resolve(ctx context.Context, req *request, auditID string, action config.Action, pool config.Pool, query string) ([]cognito.User, *cognito.User, outcome) {
	var users []cognito.User
	var full *cognito.User
	out := b.run(ctx, req, auditID, operation{
		Action: action,
		Target: audit.Target{Pool: pool.ID, Username: query},
		Params: map[string]string{"phase": "find", "query": query},
		Call: func(ctx context.Context) (string, string, error) {
			var err error
			users, err = b.users.FindUsers(ctx, pool.ID, query, maxMatches)
			if err != nil {
				return "", cognito.RequestID(err), err
			}
			if len(users) == 1 {
				full, err = b.users.GetUser(ctx, pool.ID, users[0].Username)
				if err != nil {
					return "", cognito.RequestID(err), err
				}
			}
			return fmt.Sprintf("%d match(es)", len(users)), "", nil
		},
	})
	return users, full, out
}

// cardActions are the buttons a card can offer, in display order.
var cardActions = []config.Action{config.ActionDisable, config.ActionEnable, config.ActionResetPassword, config.ActionRevoke, config.ActionDelete}

// showCard renders the lookup card. Ephemeral cards carry buttons for exactly the
// actions the viewer may run; their value is an opaque session id, never authority.
func (b *Bot) showCard(ctx context.Context, req *request, pool config.Pool, u *cognito.User, public bool) error {
	if public {
		m := views.LookupCard(toUserView(*u), toPoolView(pool), true, nil)
		if _, _, err := b.slack.PostMessageContext(ctx, req.Channel, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)); err != nil {
			b.reply(ctx, req, views.Notice("Couldn't post in this channel (invite the bot first?): "+err.Error()), replyEphemeral)
		}
		return nil
	}
	allowed := map[config.Action]bool{}
	for _, a := range b.policy.AllowedActions(ctx, actorOf(req.Actor), req.Channel) {
		allowed[a] = true
	}
	var buttons []views.CardButton
	sessionID := ""
	for _, a := range cardActions {
		if !allowed[a] || (a == config.ActionDisable && !u.Enabled) || (a == config.ActionEnable && u.Enabled) {
			continue
		}
		if sessionID == "" {
			sessionID = newSessionID()
			err := b.state.PutSession(ctx, sessionID, map[string]string{
				"kind": "card", "owner": req.Actor.UserID, "team": req.Actor.TeamID,
				"pool": pool.Name, "username": u.Username, "sub": u.Sub,
			}, sessionTTL)
			if err != nil {
				return fmt.Errorf("saving card session: %w: %w", errStateUnavailable, err)
			}
		}
		buttons = append(buttons, views.CardButton{Action: string(a), Value: sessionID})
	}
	mode := replyEphemeral
	if req.FromMessage {
		mode = replyReplace
	}
	b.reply(ctx, req, views.LookupCard(toUserView(*u), toPoolView(pool), false, buttons), mode)
	return nil
}
