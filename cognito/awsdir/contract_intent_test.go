package awsdir_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/awsdir"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

// TestMemoryRefusesEveryOperationWithoutAnIntent: the in-memory directory
// applies the same intent rule as the SDK's guard, to every operation; under
// an intent the same calls are not refused for that reason.
func TestMemoryRefusesEveryOperationWithoutAnIntent(t *testing.T) {
	m := memdir.New()
	if err := m.AddPool(memdir.PoolSpec{ID: "us-east-1_Intent", Groups: []memdir.GroupSpec{{Name: "x"}}}); err != nil {
		t.Fatal(err)
	}
	if err := m.Seed("us-east-1_Intent", memdir.SeedUser{Username: "bob", Email: "bob@example.com"}); err != nil {
		t.Fatal(err)
	}
	closed, closeIt := cognito.OpenIntent(context.Background(), "test#closed")
	closeIt()
	for name, ctx := range map[string]context.Context{"no intent": context.Background(), "a closed intent": closed} {
		ops := awsdir.EveryOperation(m, ctx, "us-east-1_Intent")
		if len(ops) < 25 {
			t.Fatalf("only %d operations found", len(ops))
		}
		for op, err := range ops {
			if !errors.Is(err, cognito.ErrNoIntent) {
				t.Errorf("%s with %s: got %v, want ErrNoIntent", op, name, err)
			}
		}
	}
	if u, err := m.GetUser(awsdir.UnderIntent(), "us-east-1_Intent", "bob"); err != nil || !u.Enabled || u.Attributes["name"] != "" {
		t.Fatalf("bob changed by refused calls: %+v, %v", u, err)
	}
	for op, err := range awsdir.EveryOperation(m, awsdir.UnderIntent(), "us-east-1_Intent") {
		if errors.Is(err, cognito.ErrNoIntent) {
			t.Errorf("%s under an open intent was refused: %v", op, err)
		}
	}
}

// TestCallsWithoutAnIntentAreRefusedOnBothBackends: a disable without an
// intent is refused and the user stays enabled, in memory and on moto.
func TestCallsWithoutAnIntentAreRefusedOnBothBackends(t *testing.T) {
	contract(t, memdir.PoolSpec{}, func(t *testing.T, b *backend) {
		b.seed(t, memdir.SeedUser{Username: "ines", Email: "ines@example.com"})
		if _, err := b.dir.DisableUser(context.Background(), b.pool, "ines"); !errors.Is(err, cognito.ErrNoIntent) {
			t.Fatalf("DisableUser without an intent: got %v, want ErrNoIntent", err)
		}
		if _, err := b.dir.GetUser(context.WithoutCancel(context.Background()), b.pool, "ines"); !errors.Is(err, cognito.ErrNoIntent) {
			t.Fatalf("GetUser without an intent: got %v, want ErrNoIntent", err)
		}
		u, err := b.dir.GetUser(b.ctx, b.pool, "ines")
		if err != nil || !u.Enabled {
			t.Fatalf("after a refused disable: %+v, %v; want ines enabled", u, err)
		}
	})
}
