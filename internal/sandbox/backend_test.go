package sandbox

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// testBackend is the sandbox's user directory and stores for a test.
func testBackend(t *testing.T) Backend {
	t.Helper()
	awsCfg := testenv.AWSConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cast := SeedPeople(time.Now())[:8]
	b, err := AWSBackend(ctx, awsCfg, cast, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
