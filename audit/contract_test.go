package audit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// The contract suite: every TestLog… and TestStore… test runs once per backend, as the
// subtests memory (always) and dynamodb (against DynamoDB Local when the emulators run,
// skipped otherwise), and holds both to the same observable behaviour.

// logAPI is the method set both logs must offer; bot.AuditLog is a subset of it.
type logAPI interface {
	Begin(ctx context.Context, e Entry) error
	Finish(ctx context.Context, id string, outcome Outcome, message, cognitoRequestID string) error
	FinishResolved(ctx context.Context, id string, outcome Outcome, message, cognitoRequestID string, resolved Target) error
	Record(ctx context.Context, e Entry) error
	Get(ctx context.Context, id string) (Entry, error)
	ByTarget(ctx context.Context, pool, username string, limit int, cursor string) ([]Entry, string, error)
	ByActor(ctx context.Context, teamID, userID string, limit int, cursor string) ([]Entry, string, error)
	OpenIntents(ctx context.Context, startedBefore time.Time, limit int) ([]Entry, error)
}

var (
	_ logAPI = (*Log)(nil)
	_ logAPI = (*MemoryLog)(nil)
)

// A logOpener opens handles on one storage, each with its own retention and options, as
// several bot replicas with their own clocks would share one table.
type (
	logOpener func(retention time.Duration, opts ...Option) logAPI
)

// isolation says whether a test may share the emulator tables with other tests (it
// only looks at its own ids) or needs tables of its own (it reads a whole index
// partition). Memory storage is always the test's own.
type isolation bool

const (
	sharedStorage isolation = false
	ownStorage    isolation = true
)

func emulatorTables(t *testing.T, iso isolation) (*dynamodb.Client, Tables) {
	t.Helper()
	if iso == ownStorage {
		return newTables(t)
	}
	return sharedTables(t)
}

// forEachLog runs test against a MemoryLog and a DynamoDB Log.
func forEachLog(t *testing.T, iso isolation, test func(t *testing.T, open logOpener)) {
	t.Run("memory", func(t *testing.T) {
		var first *MemoryLog
		test(t, func(retention time.Duration, opts ...Option) logAPI {
			if first == nil {
				first = NewMemoryLog(retention, opts...)
				return first
			}
			core := newLogCore(first.mem, retention, opts)
			return &MemoryLog{logCore: core, mem: first.mem}
		})
	})
	t.Run("dynamodb", func(t *testing.T) {
		client, tables := emulatorTables(t, iso)
		test(t, func(retention time.Duration, opts ...Option) logAPI {
			return NewLog(client, tables.Audit, retention, opts...)
		})
	})
}

func sampleEntry(id string) Entry {
	return Entry{
		ID:       id,
		Actor:    Actor{UserID: "U1", TeamID: "T1", Name: "alice"},
		Channel:  "C1",
		Action:   "disable",
		Target:   Target{Pool: "us-east-1_pool", Username: "bob-" + id, Sub: "sub-1"},
		Params:   map[string]string{"reason": "offboarding"},
		SlackRef: "env-1",
		Reason:   "ticket 42",
	}
}

func withOutcome(e Entry) Entry {
	e.Decision, e.Outcome = Allowed, OutcomeOK
	return e
}

// collect pages through a listing and returns every id in order plus the page sizes.
func collect(t *testing.T, page func(cursor string) ([]Entry, string, error)) (ids []string, sizes []int) {
	t.Helper()
	cursor := ""
	for i := 0; ; i++ {
		if i > 20 {
			t.Fatal("too many pages")
		}
		es, next, err := page(cursor)
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		sizes = append(sizes, len(es))
		for _, e := range es {
			ids = append(ids, e.ID)
		}
		if next == "" {
			return ids, sizes
		}
		cursor = next
	}
}

func idList[T any](xs []T, id func(T) string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return fmt.Sprint(out)
}
