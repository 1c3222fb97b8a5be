package state

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// TestStoreDynamoDBDownIsUnavailable cuts DynamoDB Local off behind a proxy and checks that
// every operation fails quickly with ErrUnavailable (so callers fail closed) rather than
// hanging, or being mistaken for a duplicate or a missing item.
func TestStoreDynamoDBDownIsUnavailable(t *testing.T) {
	t.Parallel()
	_, tables := sharedTables(t)
	u, err := url.Parse(testenv.DynamoDBEndpoint())
	if err != nil {
		t.Fatalf("parsing endpoint: %v", err)
	}
	proxy := testenv.NewProxy(t, u.Host)
	cfg := testenv.AWSConfig(t)
	viaProxy := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(proxy.URL())
		o.RetryMaxAttempts = 1
		o.DisableValidateResponseChecksum = true
	})
	store := NewStore(viaProxy, tables.State)

	// Through the proxy, everything works...
	ctx := ctxT(t)
	p, err := store.Create(ctx, samplePending(time.Now()))
	if err != nil {
		t.Fatalf("Create through the proxy: %v", err)
	}

	// ...until it goes down.
	proxy.SetDown(true)
	by := audit.Actor{UserID: "U", TeamID: "T"}
	ops := map[string]func(context.Context) error{
		"Create": func(ctx context.Context) error { _, err := store.Create(ctx, samplePending(time.Now())); return err },
		"Store.Get": func(ctx context.Context) error {
			_, err := store.Get(ctx, p.ID)
			return err
		},
		"Transition": func(ctx context.Context) error {
			_, err := store.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &by})
			return err
		},
		"SetCard": func(ctx context.Context) error { return store.SetCard(ctx, p.ID, "C", "1") },
		"DueForExpiry": func(ctx context.Context) error {
			_, err := store.DueForExpiry(ctx, time.Now(), 5)
			return err
		},
		"PutSession": func(ctx context.Context) error { return store.PutSession(ctx, "s", nil, time.Minute) },
		"GetSession": func(ctx context.Context) error { _, err := store.GetSession(ctx, "s"); return err },
	}
	for name, op := range ops {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		start := time.Now()
		err := op(ctx)
		cancel()
		if !errors.Is(err, audit.ErrUnavailable) || errors.Is(err, audit.ErrNotFound) || errors.Is(err, audit.ErrDuplicate) {
			t.Errorf("%s with DynamoDB down: got %v, want only ErrUnavailable", name, err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s took %v to fail", name, d)
		}
	}

	// Back up: nothing was half-done, the pending action is untouched.
	proxy.SetDown(false)
	if got, err := store.Get(ctxT(t), p.ID); err != nil || got.State != audit.StatePending || got.Version != 1 {
		t.Errorf("after the outage: %+v, %v", got, err)
	}
}
