package bot

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// recordingSlack captures what the bot sends through response_urls.
type recordingSlack struct {
	SlackAPI
	mu    sync.Mutex
	posts []string
}

func (r *recordingSlack) PostMessageContext(_ context.Context, _ string, opts ...slack.MsgOption) (string, string, error) {
	_, values, err := slack.UnsafeApplyMsgOptions("xoxb-test", "C1", "https://slack.example/api/", opts...)
	if err != nil {
		return "", "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.posts = append(r.posts, values.Get("text"))
	return "", "", nil
}

func TestPanicInAHandlerBecomesAnInternalErrorWithARef(t *testing.T) {
	core, logs := observer.New(zap.ErrorLevel)
	rec := &recordingSlack{}
	b := &Bot{slack: rec, log: zap.New(core), timeout: time.Second, now: time.Now}
	req := &request{ResponseURL: "https://hooks.slack.example/1", EnvelopeID: "E1", Arrived: time.Now()}
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
