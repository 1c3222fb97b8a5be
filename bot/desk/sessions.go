package desk

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// SessionTTL matches the life of a Slack response_url: after it, the buttons of the
// message could not update it anyway.
const SessionTTL = 30 * time.Minute

// OpaqueValue is the shape of every id the bot puts in a button; anything else is
// refused before touching DynamoDB.
var OpaqueValue = regexp.MustCompile(`^[A-Za-z0-9_-]{8,128}(#[0-9]{1,3})?$`)

// Identity is a Cognito user as a button or session remembers it: the exact
// username and the sub. It is resolved exactly, never re-read as an email, phone
// or sub query, and the sub must still match.
type Identity struct {
	Username string `json:"username"`
	Sub      string `json:"sub"`
}

// The session kinds shared by several packages, one body type each (the
// others are declared beside their command).
var (
	// CardSessions back a lookup card's buttons and menu (and a why answer's).
	CardSessions = NewSessionKind[CardSession]("card")
	// PickSessions back a list of matches to choose from.
	PickSessions = NewSessionKind[PickSession]("pick")
	// ReasonSessions carry a request across the reason modal.
	ReasonSessions = NewSessionKind[ReasonSession]("reason")
	// ListSessions keep a list's filters and page tokens.
	ListSessions = NewSessionKind[ListSession]("list")
	// DeviceSessions back the Forget buttons of the devices view.
	DeviceSessions = NewSessionKind[DeviceSession]("device")
)

// CardSession backs the buttons and menu of one lookup card (and of a why
// answer): each element's value is the session id and "#n", Items[n] being
// what it does to exactly Target.
type CardSession struct {
	Pool   string     `json:"pool"`
	Target Identity   `json:"target"`
	Items  []CardItem `json:"items,omitempty"`
}

// CardItem is one action a card offers, with its args (verify's attribute).
type CardItem struct {
	Action config.Action     `json:"action"`
	Args   map[string]string `json:"args,omitempty"`
}

// DeviceSession backs one Forget button of the devices view: the exact user
// and the device key.
type DeviceSession struct {
	Pool   string   `json:"pool"`
	Target Identity `json:"target"`
	Key    string   `json:"key"`
}

// PickSession backs a list of matches to choose from.
type PickSession struct {
	Pool    string            `json:"pool"`
	Action  config.Action     `json:"action"`
	Public  bool              `json:"public,omitempty"`
	Reason  string            `json:"reason,omitempty"`
	Limit   int               `json:"limit,omitempty"`
	Args    map[string]string `json:"args,omitempty"`
	Choices []Identity        `json:"choices"`
}

// ReasonSession carries a request across the reason modal.
type ReasonSession struct {
	Action    config.Action `json:"action"`
	Target    Identity      `json:"target"`
	Confirmed bool          `json:"confirmed,omitempty"`
	PendingID string        `json:"pending_id"`
	FormOrigin
	Args map[string]string `json:"args,omitempty"`
}

// ListSession keeps a list's filters and the page tokens seen so far.
type ListSession struct {
	Pool    string            `json:"pool"`
	Status  string            `json:"status,omitempty"`
	Enabled string            `json:"enabled,omitempty"` // "true", "false" or ""
	Attr    string            `json:"attr,omitempty"`
	Prefix  string            `json:"prefix,omitempty"`
	Group   string            `json:"group,omitempty"`
	Limit   int               `json:"limit"`
	Tokens  map[string]string `json:"tokens"` // page number → Cognito page token
}

// NewSessionID is a fresh opaque id for a session behind buttons or a form.
func NewSessionID() string { return audit.NewID() }

// SplitValue separates "sessionID#n" button values.
func SplitValue(v string) (id string, n int, ok bool) {
	id, num, found := strings.Cut(v, "#")
	if !found {
		return id, 0, true
	}
	n, err := strconv.Atoi(num)
	return id, n, err == nil
}

// FormOrigin is where a form was opened: its pool, and where its answer goes. A
// modal submission carries no channel or response_url of its own, so the session
// behind the form keeps those of the interaction that opened it.
type FormOrigin struct {
	Pool        string `json:"pool"`
	Channel     string `json:"channel"`
	ResponseURL string `json:"response_url,omitempty"`
	FromMessage bool   `json:"from_message,omitempty"`
}

// OriginOf is where req opened a form on pool, for its answer to go back to.
func OriginOf(req *transport.Request, pool config.Pool) FormOrigin {
	return FormOrigin{Pool: pool.Name, Channel: req.Channel, ResponseURL: req.ResponseURL, FromMessage: req.FromMessage}
}

func (o *FormOrigin) origin() *FormOrigin { return o }

// FormSession is a session behind a form; every one embeds FormOrigin.
type FormSession interface{ origin() *FormOrigin }
