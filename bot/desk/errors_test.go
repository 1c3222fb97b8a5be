package desk

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/transport"
	"go.uber.org/zap"
)

// A desk agent is told what is down in words they can pass on, not the bot's
// internal names.
func TestStorageOutageIsNamedPlainly(t *testing.T) {
	b := &Desk{Log: zap.NewNop(), Now: time.Now}
	msg := b.UserMessage(fmt.Errorf("%w: table gone", ErrStateUnavailable), &transport.Request{}, "click")
	if !strings.Contains(msg, "storage (DynamoDB) can't be reached") || strings.Contains(msg, "state store") {
		t.Errorf("outage message: %q", msg)
	}
}
