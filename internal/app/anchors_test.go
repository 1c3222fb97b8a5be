package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/state"
)

type recordingPoster struct{ channel string }

func (p *recordingPoster) PostMessageContext(_ context.Context, channel string, _ ...slack.MsgOption) (string, string, error) {
	p.channel = channel
	return "", "", nil
}

// An anchor goes to the configured channel, once per period.
func TestAnchorIsPostedToTheChannel(t *testing.T) {
	log := sampleLog(t)
	poster := &recordingPoster{}
	now := time.Now()
	a := &audit.Anchorer{Log: log, Claims: state.NewMemoryStore(), Every: time.Hour, Post: postAnchor(poster, "C0AUDIT"),
		Now: func() time.Time { return now }}
	got, ok, err := a.Tick(t.Context())
	if err != nil || !ok || poster.channel != "C0AUDIT" || len(got.Digest) != 64 {
		t.Fatalf("Tick: %+v %v %v, posted to %q", got, ok, err, poster.channel)
	}
	if _, ok, _ := a.Tick(t.Context()); ok {
		t.Error("the period was anchored twice")
	}
	if !strings.HasPrefix(got.ID, "anchor#") {
		t.Errorf("anchor id %q", got.ID)
	}
}
