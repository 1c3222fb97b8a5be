package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// answers records what the bot tells people, by text.
type answers struct {
	SlackAPI // nil: any other call panics
	mu       sync.Mutex
	texts    []string
}

func (a *answers) PostMessageContext(_ context.Context, _ string, opts ...slack.MsgOption) (string, string, error) {
	_, values, err := slack.UnsafeApplyMsgOptions("xoxb-test", "C1", "https://slack.example/api/", opts...)
	if err != nil {
		return "", "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.texts = append(a.texts, values.Get("text"))
	return "", "", nil
}

func (a *answers) said() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.texts)
}

// sessionDesk is a desk on the in-memory state store, its answers recorded.
func sessionDesk(t *testing.T) (*Desk, *answers) {
	t.Helper()
	a := &answers{}
	cfg := &config.Config{Pools: []config.Pool{{Name: "prod"}}}
	return &Desk{Cfg: cfg, State: state.NewMemoryStore(), Slack: a, Log: zap.NewNop(), Now: time.Now}, a
}

func clickBy(user string) *transport.Request {
	r := &transport.Request{ResponseURL: "https://hooks.slack.example/1", Channel: "C9"}
	r.Actor.UserID, r.Actor.TeamID = user, "T1"
	return r
}

// A second session kind under a name already declared stops the bot at
// start-up, whatever its body type; so does a kind without a name.
func TestSessionKindNamesAreDeclaredOnce(t *testing.T) {
	refused := func(declare func()) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprint(r)
			}
		}()
		declare()
		return ""
	}
	if msg := refused(func() { NewSessionKind[ListSession]("card") }); !strings.Contains(msg, `"card" declared twice`) {
		t.Errorf("a second kind named card, of another type: %q; want it refused", msg)
	}
	if msg := refused(func() { NewSessionKind[CardSession]("card") }); !strings.Contains(msg, `"card" declared twice`) {
		t.Errorf("a second kind named card, of the same type: %q; want it refused", msg)
	}
	if msg := refused(func() { NewSessionKind[CardSession]("") }); msg == "" {
		t.Error("a kind without a name was accepted")
	}
	if names := sessionKinds.names(); !slices.Contains(names, "card") || slices.Contains(names, "") {
		t.Errorf("declared kinds %q", names)
	}
	r := &kindRegistry{byName: map[string]reflect.Type{}}
	if err := r.declare("fresh", reflect.TypeFor[CardSession]()); err != nil || !slices.Equal(r.names(), []string{"fresh"}) {
		t.Errorf("a fresh kind: %v, declared %q", err, r.names())
	}
	if err := r.declare("fresh", reflect.TypeFor[ListSession]()); err == nil || !slices.Equal(r.names(), []string{"fresh"}) {
		t.Errorf("fresh again: %v, declared %q", err, r.names())
	}
}

// The state table holds a session as kind, owner, team and body; an item
// shaped so by the previous version (before kinds were typed) still loads.
func TestSessionStoredByThePreviousVersionLoads(t *testing.T) {
	d, said := sessionDesk(t)
	ctx := context.Background()
	old := map[string]string{"kind": "card", "owner": "U1", "team": "T1",
		"body": `{"pool":"prod","target":{"username":"ann","sub":"s-1"},"items":[{"action":"verify","args":{"attribute":"email"}}]}`}
	if err := d.State.PutSession(ctx, "sess-old-card", old, SessionTTL); err != nil {
		t.Fatal(err)
	}
	got, ok := CardSessions.Load(ctx, d, clickBy("U1"), "sess-old-card")
	want := CardSession{Pool: "prod", Target: Identity{Username: "ann", Sub: "s-1"}, Items: []CardItem{{Action: "verify", Args: map[string]string{"attribute": "email"}}}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded %+v, %v; want %+v (answers %q)", got, ok, want, said.said())
	}

	form := map[string]string{"kind": "reason", "owner": "U1", "team": "T1",
		"body": `{"action":"delete","target":{"username":"frank","sub":"s-2"},"pending_id":"p1","pool":"prod","channel":"C1","response_url":"https://hooks.slack.example/2","from_message":true}`}
	if err := d.State.PutSession(ctx, "sess-old-form", form, SessionTTL); err != nil {
		t.Fatal(err)
	}
	req := clickBy("U1")
	s, pool, ok := LoadForm(ctx, d, req, ReasonSessions, "sess-old-form")
	if !ok || pool.Name != "prod" || s.Action != "delete" || s.Target.Sub != "s-2" || s.PendingID != "p1" {
		t.Fatalf("form session %+v in %q, %v (answers %q)", s, pool.Name, ok, said.said())
	}
	if req.Channel != "C1" || req.ResponseURL != "https://hooks.slack.example/2" || !req.FromMessage {
		t.Errorf("the answer goes to %q %q %v, not where the form was opened", req.Channel, req.ResponseURL, req.FromMessage)
	}
	if len(said.said()) != 0 {
		t.Errorf("answers %q for sessions that load", said.said())
	}
}

// What a kind saves is the same item as before: kind, owner, team and the
// body as JSON, nothing else.
func TestSessionIsStoredAsKindOwnerTeamBody(t *testing.T) {
	d, _ := sessionDesk(t)
	ctx := context.Background()
	body := ListSession{Pool: "prod", Status: "CONFIRMED", Limit: 10, Tokens: map[string]string{"2": "tok"}}
	if err := ListSessions.Save(ctx, d, clickBy("U1"), "sess-list", body); err != nil {
		t.Fatal(err)
	}
	stored, err := d.State.GetSession(ctx, "sess-list")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(body)
	want := map[string]string{"kind": "list", "owner": "U1", "team": "T1", "body": string(raw)}
	if !reflect.DeepEqual(stored, want) {
		t.Fatalf("stored %q; want %q", stored, want)
	}
}

// A session is refused, with the same sentences as ever, when it is of
// another kind, unreadable, someone else's or gone.
func TestSessionRefusals(t *testing.T) {
	d, said := sessionDesk(t)
	ctx := context.Background()
	if err := ListSessions.Save(ctx, d, clickBy("U1"), "sess-list", ListSession{Pool: "prod", Limit: 5}); err != nil {
		t.Fatal(err)
	}
	if err := CardSessions.Save(ctx, d, clickBy("U1"), "sess-card", CardSession{Pool: "prod", Target: Identity{Username: "ann", Sub: "s-1"}}); err != nil {
		t.Fatal(err)
	}
	if err := d.State.PutSession(ctx, "sess-garbled", map[string]string{"kind": "card", "owner": "U1", "team": "T1", "body": `{"items":"no"`}, SessionTTL); err != nil {
		t.Fatal(err)
	}
	if err := d.State.PutSession(ctx, "sess-kindless", map[string]string{"owner": "U1", "team": "T1", "body": `{}`}, SessionTTL); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, id, user, want string
	}{
		{"a list session clicked as a card", "sess-list", "U1", "This button is not valid."},
		{"an unreadable body", "sess-garbled", "U1", "This button is not valid."},
		{"an item without a kind", "sess-kindless", "U1", "This button is not valid."},
		{"someone else's", "sess-card", "U2", "This button belongs to someone else's message."},
		{"gone", "sess-none", "U1", "This button has expired. Please run the command again."},
	} {
		before := len(said.said())
		got, ok := CardSessions.Load(ctx, d, clickBy(c.user), c.id)
		answers := said.said()[before:]
		if ok || !reflect.DeepEqual(got, CardSession{}) || len(answers) != 1 || answers[0] != c.want {
			t.Errorf("%s: loaded %+v, %v, answered %q; want refused with %q", c.name, got, ok, answers, c.want)
		}
	}
	if s, ok := ListSessions.Load(ctx, d, clickBy("U1"), "sess-list"); !ok || s.Limit != 5 {
		t.Errorf("the list session does not load as a list: %+v (answers %q)", s, said.said())
	}
	if s, ok := CardSessions.Load(ctx, d, clickBy("U1"), "sess-card"); !ok || s.Target.Sub != "s-1" {
		t.Errorf("the card session does not load for its owner: %+v (answers %q)", s, said.said())
	}
}
