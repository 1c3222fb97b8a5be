package logging

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// A directory error logged through Error keeps its operation and cause but
// not the user it quotes.
func TestErrorKeepsTheCauseAndDropsQuotedNames(t *testing.T) {
	core, logs := observer.New(zap.InfoLevel)
	err := fmt.Errorf("disabling user %q: %w", "pat.doe@example.com", errors.New("api error InternalErrorException: boom"))
	zap.New(core).Error("internal error", Error(err))
	got := logs.All()[0].ContextMap()["error"].(string)
	if strings.Contains(got, "pat.doe") || !strings.Contains(got, "disabling user") || !strings.Contains(got, "InternalErrorException") {
		t.Errorf("logged %q", got)
	}
}
