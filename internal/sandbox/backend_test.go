package sandbox

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// testBackend is the sandbox's default backend, all in memory.
func testBackend(t *testing.T) Backend {
	t.Helper()
	b, err := MemoryBackend(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMemoryBackendHoldsEverySeededUserInTheirState(t *testing.T) {
	t.Parallel()
	now := time.Now()
	b, err := MemoryBackend(now)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.People) < 190 {
		t.Fatalf("only %d people seeded", len(b.People))
	}
	for _, p := range b.People {
		u, err := b.Users.GetUser(underIntent(context.Background()), defaultPoolID, p.Username)
		if err != nil {
			t.Fatalf("%s: %v", p.Username, err)
		}
		if u.Status != p.Status || u.Enabled != p.Enabled || len(u.Groups) != len(p.Groups) || u.Email != p.Email {
			t.Errorf("%s: got %s enabled=%v groups=%v, seeded %s enabled=%v groups=%v", p.Username, u.Status, u.Enabled, u.Groups, p.Status, p.Enabled, p.Groups)
		}
	}
}

func TestAWSBackendSeedsTheEmulators(t *testing.T) {
	awsCfg := testenv.AWSConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cast := SeedPeople(time.Now())[:8]
	b, err := AWSBackend(ctx, awsCfg, cast, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.People {
		u, err := b.Users.GetUser(underIntent(ctx), b.PoolID, p.Username)
		if err != nil {
			t.Fatalf("%s: %v", p.Username, err)
		}
		if u.Status != p.Status || u.Enabled != p.Enabled || len(u.Groups) != len(p.Groups) {
			t.Errorf("%s: got %s enabled=%v groups=%v, want %s enabled=%v groups=%v", p.Username, u.Status, u.Enabled, u.Groups, p.Status, p.Enabled, p.Groups)
		}
	}
	if len(b.People) != len(cast)-1 {
		t.Errorf("seeded %d of %d; only the federated user should be skipped", len(b.People), len(cast))
	}
}

// underIntent is ctx under an audit intent for the test's own checking: the
// directory refuses every call without one.
func underIntent(ctx context.Context) context.Context {
	ctx, _ = cognito.OpenIntent(ctx, "test#fixture")
	return ctx
}
