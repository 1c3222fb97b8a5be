package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// sessionTTL matches the life of a Slack response_url: after it, the buttons of the
// message could not update it anyway.
const sessionTTL = 30 * time.Minute

// auditFinishTimeout bounds recording an outcome after the request's own deadline.
const auditFinishTimeout = 10 * time.Second

// opaqueValue is the shape of every id the bot puts in a button; anything else is
// refused before touching DynamoDB.
var opaqueValue = regexp.MustCompile(`^[A-Za-z0-9_-]{8,128}(#[0-9]{1,3})?$`)

func newSessionID() string { return audit.NewID() }

// loadSession reads a session a button points at and checks that the clicker owns it.
func (b *Bot) loadSession(ctx context.Context, req *request, id, kind string) (map[string]string, bool) {
	s, err := b.state.GetSession(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		b.reply(ctx, req, views.Notice("This button has expired. Please run the command again."), replyEphemeral)
		return nil, false
	case err != nil:
		b.reply(ctx, req, views.Notice(b.userMessage(fmt.Errorf("%w: %w", errStateUnavailable, err), req, kind)), replyEphemeral)
		return nil, false
	case s["kind"] != kind:
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return nil, false
	case s["owner"] != req.Actor.UserID || s["team"] != req.Actor.TeamID:
		b.reply(ctx, req, views.Notice("This button belongs to someone else's message."), replyEphemeral)
		return nil, false
	}
	return s, true
}

// splitValue separates "sessionID#n" button values.
func splitValue(v string) (id string, n int, ok bool) {
	id, num, found := strings.Cut(v, "#")
	if !found {
		return id, 0, true
	}
	n, err := strconv.Atoi(num)
	return id, n, err == nil
}

// pickNext says what to do with the user chosen from a list of matches.
type pickNext struct {
	Action config.Action
	Public bool
	Reason string
	Limit  int // entries to show, for audit
}

// showMatches offers a short list when a query matched several users.
func (b *Bot) showMatches(ctx context.Context, req *request, pool config.Pool, query string, users []cognito.User, next pickNext) error {
	id := newSessionID()
	data := map[string]string{
		"kind": "pick", "owner": req.Actor.UserID, "team": req.Actor.TeamID,
		"pool": pool.Name, "action": string(next.Action), "reason": next.Reason,
		"public": strconv.FormatBool(next.Public), "count": strconv.Itoa(len(users)), "limit": strconv.Itoa(next.Limit),
	}
	rows := make([]views.UserView, len(users))
	for i, u := range users {
		data["u"+strconv.Itoa(i)] = u.Username
		rows[i] = toUserView(u)
	}
	if err := b.state.PutSession(ctx, id, data, sessionTTL); err != nil {
		return fmt.Errorf("saving matches: %w: %w", errStateUnavailable, err)
	}
	mode := replyEphemeral
	if req.FromMessage {
		mode = replyReplace
	}
	b.reply(ctx, req, views.MatchesList(query, toPoolView(pool), rows, func(i int) string { return id + "#" + strconv.Itoa(i) }), mode)
	return nil
}

// pick continues the original command with the user chosen from the matches.
func (b *Bot) pick(ctx context.Context, req *request, value string) {
	id, i, ok := splitValue(value)
	if !ok {
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return
	}
	s, ok := b.loadSession(ctx, req, id, "pick")
	if !ok {
		return
	}
	username, found := s["u"+strconv.Itoa(i)]
	pool, poolOK := b.cfg.PoolByName(s["pool"])
	if !found || !poolOK {
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return
	}
	action := config.Action(s["action"])
	if !b.authorize(ctx, req, action, audit.Target{Pool: pool.ID, Username: username}) {
		return
	}
	var err error
	switch action {
	case config.ActionLookup:
		err = b.lookup(ctx, req, pool, username, s["public"] == "true")
	case config.ActionAudit:
		limit, _ := strconv.Atoi(s["limit"])
		err = b.auditOf(ctx, req, pool, username, max(limit, 1))
	default:
		err = b.requestAction(ctx, req, action, pool, username, s["reason"], false, "p"+hashKey(id, strconv.Itoa(i), string(action)))
	}
	if err != nil {
		b.reply(ctx, req, views.Notice(b.userMessage(err, req, string(action))), replyEphemeral)
	}
}
