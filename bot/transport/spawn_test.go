package transport

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/slack-go/slack"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// recordingHandler captures what the server answers people itself; any
// other call is a test failure (a nil embedded Handler panics).
type recordingHandler struct {
	Handler
	mu    sync.Mutex
	posts []string
}

func (r *recordingHandler) Answer(_ *Request, m views.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.posts = append(r.posts, m.Text)
}

func TestPanicInAHandlerBecomesAnInternalErrorWithARef(t *testing.T) {
	core, logs := observer.New(zap.ErrorLevel)
	rec := &recordingHandler{}
	b := New(Config{Handler: rec, Logger: zap.New(core), WorkTimeout: time.Second})
	req := &Request{ResponseURL: "https://hooks.slack.example/1", EnvelopeID: "E1", Arrived: time.Now()}
	b.work(context.Background(), job{req: req, run: func(context.Context) { panic("boom") }})

	if len(rec.posts) != 1 {
		t.Fatalf("want one answer to the user, got %q", rec.posts)
	}
	ref := regexp.MustCompile(`ref ([0-9a-f]{8})`).FindStringSubmatch(rec.posts[0])
	if ref == nil || strings.Contains(rec.posts[0], "boom") {
		t.Fatalf("answer %q should carry a ref and no internals", rec.posts[0])
	}
	entries := logs.FilterField(zap.String("ref", ref[1])).All()
	if len(entries) != 1 || !strings.Contains(entries[0].ContextMap()["stack"].(string), "spawn_test.go") {
		t.Fatalf("want one log line with ref %s and the stack, got %+v", ref[1], entries)
	}
}

// A Grid user has one identity whether they type a command in one workspace or
// press a button in another, so their own buttons work and their history does not split.
func TestGridUserIsOnePersonForCommandsAndClicks(t *testing.T) {
	cmd := RequestFromCommand(slack.SlashCommand{UserID: "W1", TeamID: "T1", EnterpriseID: "E1"}, "env", time.Now())
	cb := slack.InteractionCallback{User: slack.User{ID: "W1", TeamID: "T2"}, Team: slack.Team{ID: "T1"}}
	cb.Enterprise.ID = "E1"
	click := RequestFromAction(cb, &slack.BlockAction{ActionID: "x"}, "env2", time.Now())
	if !pipeline.SameActor(cmd.Actor, click.Actor) {
		t.Fatalf("command actor %+v and click actor %+v differ", cmd.Actor, click.Actor)
	}
	// Outside Grid the workspace is the team, for commands and clicks alike.
	cmd = RequestFromCommand(slack.SlashCommand{UserID: "U1", TeamID: "T1"}, "env", time.Now())
	click = RequestFromAction(slack.InteractionCallback{User: slack.User{ID: "U1", TeamID: "T1"}, Team: slack.Team{ID: "T1"}},
		&slack.BlockAction{}, "env2", time.Now())
	if !pipeline.SameActor(cmd.Actor, click.Actor) || cmd.Actor.TeamID != "T1" {
		t.Fatalf("command actor %+v and click actor %+v differ", cmd.Actor, click.Actor)
	}
}

// Work that waited in the queue past its deadline (counted from the envelope's
// arrival, not from when a worker freed up) is not started late, and the
// person is told nothing was done.
func TestWorkPastItsDeadlineIsNotStarted(t *testing.T) {
	rec := &recordingHandler{}
	b := New(Config{Handler: rec, WorkTimeout: time.Second})
	ran := false
	b.work(context.Background(), job{req: &Request{Arrived: time.Now().Add(-2 * time.Second), ResponseURL: "https://hooks.slack.example/1"},
		run: func(context.Context) { ran = true }})
	b.background.Wait()
	if ran {
		t.Fatal("work started after its deadline had passed")
	}
	if len(rec.posts) != 1 || !strings.Contains(rec.posts[0], "nothing was done") {
		t.Errorf("answers %q; want one saying nothing was done", rec.posts)
	}
	// One that waited its turn in its person's queue counts from its release.
	var from time.Time
	released := time.Now()
	b.work(context.Background(), job{req: &Request{Arrived: released.Add(-5 * time.Second)}, released: released,
		run: func(ctx context.Context) { from, _ = ctx.Deadline() }})
	if !from.Equal(released.Add(time.Second)) {
		t.Errorf("deadline %v; want release + timeout %v", from, released.Add(time.Second))
	}
	var deadline time.Time
	arrived := time.Now().Add(-300 * time.Millisecond)
	b.work(context.Background(), job{req: &Request{Arrived: arrived}, run: func(ctx context.Context) { deadline, _ = ctx.Deadline() }})
	if !deadline.Equal(arrived.Add(time.Second)) {
		t.Fatalf("deadline %v, want arrival + timeout %v", deadline, arrived.Add(time.Second))
	}
}
