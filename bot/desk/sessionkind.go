package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// SessionKind is one kind of session behind buttons or a form, tied to the
// type T of its body. Each is declared once, with NewSessionKind, and the bot
// saves and loads sessions only through one: a body can only be saved under
// its own kind, and a kind only loads into its own type. The stored item
// keeps the kind's name beside the body, so a button of one kind can never be
// replayed as another.
type SessionKind[T any] struct{ name string }

// kindRegistry holds the declared kinds' names with their body types.
type kindRegistry struct {
	mu     sync.Mutex
	byName map[string]reflect.Type
}

// sessionKinds are the bot's declared kinds: a second kind under a name
// already taken is refused when its package initialises.
var sessionKinds = &kindRegistry{byName: map[string]reflect.Type{}}

// NewSessionKind declares the session kind name for bodies of type T. It is
// called once per kind, in a package-level var; it panics, so the bot cannot
// start, when the name is empty or already declared.
func NewSessionKind[T any](name string) SessionKind[T] {
	if err := sessionKinds.declare(name, reflect.TypeFor[T]()); err != nil {
		panic(err)
	}
	return SessionKind[T]{name: name}
}

// declare records name for body type t, refusing an empty name and a name
// declared before (whatever its type).
func (r *kindRegistry) declare(name string, t reflect.Type) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "" {
		return fmt.Errorf("a session kind for %s has no name", t)
	}
	if prev, taken := r.byName[name]; taken {
		return fmt.Errorf("session kind %q declared twice: for %s and for %s", name, prev, t)
	}
	r.byName[name] = t
	return nil
}

// Save stores body under id for the actor of req.
func (k SessionKind[T]) Save(ctx context.Context, d *Desk, req *transport.Request, id string, body T) error {
	if k.name == "" {
		return errors.New("saving a session of an undeclared kind")
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encoding %s session: %w", k.name, err)
	}
	data := map[string]string{"kind": k.name, "owner": req.Actor.UserID, "team": req.Actor.TeamID, "body": string(raw)}
	if err := d.State.PutSession(ctx, id, data, SessionTTL); err != nil {
		return fmt.Errorf("saving %s session: %w: %w", k.name, ErrStateUnavailable, err)
	}
	return nil
}

// Load reads the session a button points at and checks that it is of this
// kind and that the clicker owns it. When it returns false the clicker has
// been answered.
func (k SessionKind[T]) Load(ctx context.Context, d *Desk, req *transport.Request, id string) (T, bool) {
	var body T
	s, err := d.State.GetSession(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		d.Reply(ctx, req, views.Notice("This button has expired. Please run the command again."), ReplyEphemeral)
		return body, false
	case err != nil:
		d.Reply(ctx, req, views.Notice(d.UserMessage(fmt.Errorf("%w: %w", ErrStateUnavailable, err), req, k.name)), ReplyEphemeral)
		return body, false
	case k.name == "" || s["kind"] != k.name:
		d.Reply(ctx, req, views.Notice("This button is not valid."), ReplyEphemeral)
		return body, false
	case s["owner"] != req.Actor.UserID || s["team"] != req.Actor.TeamID:
		d.Reply(ctx, req, views.Notice("This button belongs to someone else's message."), ReplyEphemeral)
		return body, false
	}
	if err := json.Unmarshal([]byte(s["body"]), &body); err != nil {
		d.Reply(ctx, req, views.Notice("This button is not valid."), ReplyEphemeral)
		return *new(T), false
	}
	return body, true
}

// LoadForm reads the session of kind k behind a submitted form (owner and
// kind checked), points the answers where the form was opened and returns the
// form's pool. When it returns false the submitter has been answered.
func LoadForm[T any, P interface {
	*T
	FormSession
}](ctx context.Context, d *Desk, req *transport.Request, k SessionKind[T], meta string) (T, config.Pool, bool) {
	s, ok := k.Load(ctx, d, req, meta)
	if !ok {
		return s, config.Pool{}, false
	}
	o := P(&s).origin()
	req.Channel, req.ResponseURL, req.FromMessage = o.Channel, o.ResponseURL, o.FromMessage
	pool, found := d.Cfg.PoolByName(o.Pool)
	if !found {
		d.Reply(ctx, req, views.Notice("This form's pool is no longer configured, so nothing was done."), ReplyEphemeral)
		return s, config.Pool{}, false
	}
	return s, pool, true
}
