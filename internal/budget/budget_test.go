package budget

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// clock is a settable time shared by the replicas of a test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// forEachStore runs test with stores on one in-memory table and on one
// DynamoDB Local table (skipped without the emulator), each replica with its
// own handle, as separate processes would have.
func forEachStore(t *testing.T, test func(t *testing.T, c *clock, open func() Leases)) {
	t.Run("memory", func(t *testing.T) {
		c := &clock{now: time.Now()}
		first := audit.NewMemoryStore(audit.WithClock(c.Now))
		test(t, c, func() Leases { return first })
	})
	t.Run("dynamodb", func(t *testing.T) {
		client := dynamodb.NewFromConfig(testenv.AWSConfig(t))
		name := fmt.Sprintf("budget-%d", time.Now().UnixNano())
		tables := audit.Tables{Audit: name + "-audit", State: name + "-state"}
		if err := audit.Migrate(context.Background(), client, tables, t.Logf); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			for _, n := range []string{tables.Audit, tables.State} {
				_, _ = client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(n)})
			}
		})
		c := &clock{now: time.Now()}
		test(t, c, func() Leases { return audit.NewStore(client, tables.State, audit.WithClock(c.Now)) })
	})
}

// Two replicas take half the budget each; when one dies (stops renewing) the
// survivor takes the whole within one lease; one stopping cleanly frees its
// part at the next heartbeat.
func TestTwoReplicasShareTheBudgetAndTheSurvivorTakesItAll(t *testing.T) {
	forEachStore(t, func(t *testing.T, c *clock, open func() Leases) {
		ctx := context.Background()
		a := New(open(), "replica-a", 10*time.Second, nil)
		b := New(open(), "replica-b", 10*time.Second, nil)
		renew := func(s *Share, want float64) {
			t.Helper()
			if err := s.Renew(ctx); err != nil {
				t.Fatal(err)
			}
			if got := s.Fraction(); got != want {
				t.Fatalf("%s's part: %v (%d live); want %v", s.owner, got, s.Live(), want)
			}
		}
		renew(a, 1)
		renew(b, 0.5)
		renew(a, 0.5)
		c.advance(11 * time.Second) // a died after its last renewal
		renew(b, 1)
		renew(a, 0.5) // a is back
		renew(b, 0.5)
		if err := a.leases.DropReplica(ctx, "replica-a"); err != nil {
			t.Fatal(err)
		}
		renew(b, 1)
	})
}
