package audit

import (
	"context"
	"errors"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// TestDynamoDBDownIsUnavailable cuts DynamoDB Local off behind a proxy and checks that
// every operation fails quickly with ErrUnavailable (so callers fail closed) rather than
// hanging, or being mistaken for a duplicate or a missing item.
func TestDynamoDBDownIsUnavailable(t *testing.T) {
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
	log := NewLog(viaProxy, tables.Audit, time.Hour)

	// Through the proxy, everything works...
	ctx := ctxT(t)
	if err := log.Begin(ctx, sampleEntry(uid("cmd#up"))); err != nil {
		t.Fatalf("Begin through the proxy: %v", err)
	}

	// ...until it goes down.
	proxy.SetDown(true)
	ops := map[string]func(context.Context) error{
		"Begin":  func(ctx context.Context) error { return log.Begin(ctx, sampleEntry(uid("cmd#down"))) },
		"Record": func(ctx context.Context) error { return log.Record(ctx, withOutcome(sampleEntry(uid("cmd#down")))) },
		"Finish": func(ctx context.Context) error { return log.Finish(ctx, "cmd#x", OutcomeOK, "", "") },
		"Get":    func(ctx context.Context) error { _, err := log.Get(ctx, "cmd#x"); return err },
		"ByTarget": func(ctx context.Context) error {
			_, _, err := log.ByTarget(ctx, "p", "u", 5, "")
			return err
		},
		"ByActor": func(ctx context.Context) error {
			_, _, err := log.ByActor(ctx, "T", "U", 5, "")
			return err
		},
		"Migrate": func(ctx context.Context) error {
			return Migrate(ctx, viaProxy, Tables{Audit: "a-down", State: "s-down"}, nil)
		},
	}
	for name, op := range ops {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		start := time.Now()
		err := op(ctx)
		cancel()
		if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrDuplicate) {
			t.Errorf("%s with DynamoDB down: got %v, want only ErrUnavailable", name, err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s took %v to fail", name, d)
		}
	}

}

// TestClosedPortIsUnavailable points a client with standard retries (two attempts) at a
// loopback port nothing listens on: connection refused is retried, then reported as
// ErrUnavailable.
func TestClosedPortIsUnavailable(t *testing.T) {
	t.Parallel()
	cfg := testenv.AWSConfig(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	client := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String("http://" + addr)
		o.RetryMaxAttempts = 2
	})
	start := time.Now()
	if err := NewLog(client, "t", time.Hour).Begin(ctxT(t), sampleEntry(uid("cmd#closed"))); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Begin against a closed port: got %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("failing took %v", d)
	}
}
