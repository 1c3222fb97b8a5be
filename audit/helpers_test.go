package audit

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// The emulator tests share one migrated table pair where isolation allows (each test uses
// its own ids); tests that look at a whole index partition or at migration itself get
// their own pair from newTables.
var shared struct {
	once   sync.Once
	client *dynamodb.Client
	tables Tables
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.client != nil && shared.err == nil {
		deleteTables(shared.client, shared.tables)
	}
	os.Exit(code)
}

// sharedTables returns a client and the package's shared, migrated table pair, or
// skips/fails the test when the emulators are not running (see testenv).
func sharedTables(t *testing.T) (*dynamodb.Client, Tables) {
	t.Helper()
	cfg := testenv.AWSConfig(t)
	shared.once.Do(func() {
		shared.client = NewClient(cfg)
		shared.tables = Tables{Audit: testenv.UniqueName("audit-shared"), State: testenv.UniqueName("state-shared")}
		shared.err = Migrate(context.Background(), shared.client, shared.tables, nil)
	})
	if shared.err != nil {
		t.Fatalf("migrating shared tables: %v", shared.err)
	}
	return shared.client, shared.tables
}

// newTables migrates a fresh table pair for one test and deletes it afterwards.
func newTables(t *testing.T) (*dynamodb.Client, Tables) {
	t.Helper()
	client := NewClient(testenv.AWSConfig(t))
	tables := Tables{Audit: testenv.UniqueName("audit"), State: testenv.UniqueName("state")}
	if err := Migrate(context.Background(), client, tables, t.Logf); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	t.Cleanup(func() { deleteTables(client, tables) })
	return client, tables
}

// deleteTables removes only tables this package's tests created.
func deleteTables(client *dynamodb.Client, tables Tables) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, name := range []string{tables.Audit, tables.State} {
		_, _ = client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	}
}

// fakeClock is a settable clock for WithClock (testenv.ManualClock). Tests
// start it at the real time: the items get TTLs from it, and DynamoDB Local's
// TTL sweeper really deletes items whose TTL is in the past.
type fakeClock struct{ *testenv.ManualClock }

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{testenv.NewManualClockAt(t)} }

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// uid returns a fresh id with a readable prefix, so tests sharing tables never collide.
func uid(prefix string) string { return testenv.UniqueName(prefix) }
