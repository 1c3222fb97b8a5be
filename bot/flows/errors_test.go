package flows

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// A confirmed action that fails unexpectedly is explained once: the result
// stored with the pending action and the answer the clicker reads carry the same
// ref, and the operators' log has one line to look it up by.
func TestAFailureIsLoggedOnceWithOneRef(t *testing.T) {
	core, logs := observer.New(zap.ErrorLevel)
	b := &Flows{Desk: &desk.Desk{Log: zap.New(core), Now: time.Now}}
	req := &transport.Request{}
	err := error(errors.New("something nobody planned for"))

	stored := b.ExplainOnce(&err, req, string(actions.Disable)) // what execute records
	shown := b.ResultMessage(req, actions.Disable, config.Pool{Name: "test"}, "alice", pipeline.Outcome{Err: err})

	ref := regexp.MustCompile(`ref (\w+)`).FindStringSubmatch(stored)
	if ref == nil {
		t.Fatalf("stored result %q has no ref", stored)
	}
	raw, _ := json.Marshal(shown.Blocks)
	if text := string(raw); !strings.Contains(text, "ref "+ref[1]) {
		t.Errorf("the answer does not carry the stored ref %s:\n%s", ref[1], text)
	}
	if n := logs.FilterMessage("internal error").Len(); n != 1 {
		t.Errorf("%d internal error log lines, want 1", n)
	}
	// What the error was stays visible to errors.Is.
	wrapped := error(&cognito.ResetBlockedError{Reason: "disabled"})
	b.ExplainOnce(&wrapped, req, "reset-password")
	if !errors.Is(wrapped, cognito.ErrResetNotPossible) {
		t.Error("explaining an error hid what it was")
	}
}
