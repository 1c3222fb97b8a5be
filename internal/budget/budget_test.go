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
	"github.com/cognito-bot/cognito-bot/audit/state"
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
		first := state.NewMemoryStore(audit.WithClock(c.Now))
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
		test(t, c, func() Leases { return state.NewStore(client, tables.State, audit.WithClock(c.Now)) })
	})
}

// Two replicas take half the budget each; when one dies (stops renewing) the
// survivor takes the whole within one lease; one stopping cleanly frees its
// part at the next heartbeat.
func TestTwoReplicasShareTheBudgetAndTheSurvivorTakesItAll(t *testing.T) {
	forEachStore(t, func(t *testing.T, c *clock, open func() Leases) {
		ctx := context.Background()
		a := New(open(), "replica-a", 10*time.Second, nil, WithClock(c.Now))
		b := New(open(), "replica-b", 10*time.Second, nil, WithClock(c.Now))
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
		renew(b, IdleFloor) // joining: a still runs at the whole until its next renewal
		renew(a, 0.5)
		c.advance(10 * time.Second / 10)
		renew(b, 0.5)
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

// renewals counts a store's lease renewals, to know a replica is on record.
type renewals struct {
	Leases
	mu sync.Mutex
	n  int
}

func (r *renewals) RenewReplica(ctx context.Context, owner string, lease time.Duration, demand bool) ([]audit.ReplicaLease, error) {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
	return r.Leases.RenewReplica(ctx, owner, lease, demand)
}

func (r *renewals) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Run keeps the lease: two running replicas share the budget, and when
// one stops (its Run returns and drops its lease) the other takes the whole
// budget at its next heartbeat — here long before the stopped one's hour-long
// lease would have run out.
func TestRunningReplicasShareAndAStoppedOneFreesItsPart(t *testing.T) {
	leases := state.NewMemoryStore()
	counted := &renewals{Leases: leases}
	a := New(leases, "replica-a", time.Hour, nil)
	b := New(counted, "replica-b", 300*time.Millisecond, nil) // heartbeats every 30 ms
	ctxA, stopA := context.WithCancel(context.Background())
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()
	go b.Run(ctxB)
	waitFor(t, "b on record", func() bool { return counted.count() > 0 })
	doneA := make(chan struct{})
	go func() { a.Run(ctxA); close(doneA) }()
	// a joins at the idle floor and would raise to half a heartbeat (20 min) on.
	waitFor(t, "b at half the budget", func() bool { return a.Live() == 2 && b.Fraction() == 0.5 })
	stopA()
	<-doneA
	waitFor(t, "b at the whole budget", func() bool { return b.Fraction() == 1 })
}

// waitFor polls cond every 10 ms for at most 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
