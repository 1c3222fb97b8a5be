package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// sessionTTL matches the life of a Slack response_url: after it, the buttons of the
// message could not update it anyway.
const sessionTTL = 30 * time.Minute

// opaqueValue is the shape of every id the bot puts in a button; anything else is
// refused before touching DynamoDB.
var opaqueValue = regexp.MustCompile(`^[A-Za-z0-9_-]{8,128}(#[0-9]{1,3})?$`)

// identity is a Cognito user as a button or session remembers it: the exact
// username and the sub. It is resolved exactly, never re-read as an email, phone
// or sub query, and the sub must still match.
type identity struct {
	Username string `json:"username"`
	Sub      string `json:"sub"`
}

// Session kinds, one typed struct each. The kind is stored beside the body so a
// button of one kind can never be replayed as another.
const (
	kindCard   = "card"
	kindPick   = "pick"
	kindReason = "reason"
	kindList   = "list"
	kindDevice = "device"
)

// cardSession backs the buttons and menu of one lookup card (and of a why
// answer): each element's value is the session id and "#n", Items[n] being
// what it does to exactly Target.
type cardSession struct {
	Pool   string     `json:"pool"`
	Target identity   `json:"target"`
	Items  []cardItem `json:"items,omitempty"`
}

// cardItem is one action a card offers, with its args (verify's attribute).
type cardItem struct {
	Action config.Action     `json:"action"`
	Args   map[string]string `json:"args,omitempty"`
}

// deviceSession backs one Forget button of the devices view: the exact user
// and the device key.
type deviceSession struct {
	Pool   string   `json:"pool"`
	Target identity `json:"target"`
	Key    string   `json:"key"`
}

// pickSession backs a list of matches to choose from.
type pickSession struct {
	Pool    string            `json:"pool"`
	Action  config.Action     `json:"action"`
	Public  bool              `json:"public,omitempty"`
	Reason  string            `json:"reason,omitempty"`
	Limit   int               `json:"limit,omitempty"`
	Args    map[string]string `json:"args,omitempty"`
	Choices []identity        `json:"choices"`
}

// reasonSession carries a request across the reason modal.
type reasonSession struct {
	Action    config.Action `json:"action"`
	Target    identity      `json:"target"`
	Confirmed bool          `json:"confirmed,omitempty"`
	PendingID string        `json:"pending_id"`
	formOrigin
	Args map[string]string `json:"args,omitempty"`
}

// listSession keeps a list's filters and the page tokens seen so far.
type listSession struct {
	Pool    string            `json:"pool"`
	Status  string            `json:"status,omitempty"`
	Enabled string            `json:"enabled,omitempty"` // "true", "false" or ""
	Attr    string            `json:"attr,omitempty"`
	Prefix  string            `json:"prefix,omitempty"`
	Group   string            `json:"group,omitempty"`
	Limit   int               `json:"limit"`
	Tokens  map[string]string `json:"tokens"` // page number → Cognito page token
}

func newSessionID() string { return audit.NewID() }

// saveSession stores body under id for the actor of req.
func (b *Bot) saveSession(ctx context.Context, req *request, id, kind string, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encoding %s session: %w", kind, err)
	}
	data := map[string]string{"kind": kind, "owner": req.Actor.UserID, "team": req.Actor.TeamID, "body": string(raw)}
	if err := b.state.PutSession(ctx, id, data, sessionTTL); err != nil {
		return fmt.Errorf("saving %s session: %w: %w", kind, errStateUnavailable, err)
	}
	return nil
}

// loadSession reads the session a button points at into body and checks that it is
// of the expected kind and that the clicker owns it. When it returns false the
// clicker has been answered.
func (b *Bot) loadSession(ctx context.Context, req *request, id, kind string, body any) bool {
	s, err := b.state.GetSession(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		b.reply(ctx, req, views.Notice("This button has expired. Please run the command again."), replyEphemeral)
		return false
	case err != nil:
		b.reply(ctx, req, views.Notice(b.userMessage(fmt.Errorf("%w: %w", errStateUnavailable, err), req, kind)), replyEphemeral)
		return false
	case s["kind"] != kind:
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return false
	case s["owner"] != req.Actor.UserID || s["team"] != req.Actor.TeamID:
		b.reply(ctx, req, views.Notice("This button belongs to someone else's message."), replyEphemeral)
		return false
	}
	if err := json.Unmarshal([]byte(s["body"]), body); err != nil {
		b.reply(ctx, req, views.Notice("This button is not valid."), replyEphemeral)
		return false
	}
	return true
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

// formOrigin is where a form was opened: its pool, and where its answer goes. A
// modal submission carries no channel or response_url of its own, so the session
// behind the form keeps those of the interaction that opened it.
type formOrigin struct {
	Pool        string `json:"pool"`
	Channel     string `json:"channel"`
	ResponseURL string `json:"response_url,omitempty"`
	FromMessage bool   `json:"from_message,omitempty"`
}

func originOf(req *request, pool config.Pool) formOrigin {
	return formOrigin{Pool: pool.Name, Channel: req.Channel, ResponseURL: req.ResponseURL, FromMessage: req.FromMessage}
}

func (o *formOrigin) origin() *formOrigin { return o }

// formSession is a session behind a form; every one embeds formOrigin.
type formSession interface{ origin() *formOrigin }

// loadForm reads the session behind a submitted form into s (owner and kind
// checked), points the answers where the form was opened and returns the form's
// pool. When it returns false the submitter has been answered.
func (b *Bot) loadForm(ctx context.Context, req *request, meta, kind string, s formSession) (config.Pool, bool) {
	if !b.loadSession(ctx, req, meta, kind, s) {
		return config.Pool{}, false
	}
	o := s.origin()
	req.Channel, req.ResponseURL, req.FromMessage = o.Channel, o.ResponseURL, o.FromMessage
	pool, found := b.cfg.PoolByName(o.Pool)
	if !found {
		b.reply(ctx, req, views.Notice("This form's pool is no longer configured, so nothing was done."), replyEphemeral)
		return config.Pool{}, false
	}
	return pool, true
}
