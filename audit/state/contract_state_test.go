package state

import (
	"context"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

var (
	_ storeAPI = (*Store)(nil)
	_ storeAPI = (*MemoryStore)(nil)
)

// A storeOpener opens handles on one storage, each with its own options, as
// several bot replicas with their own clocks would share one table.
type storeOpener func(opts ...audit.Option) storeAPI

// scheduleAPI is the schedule part both stores offer.
type scheduleAPI interface {
	CreateSchedule(ctx context.Context, s audit.Scheduled) (audit.Scheduled, error)
	GetSchedule(ctx context.Context, id string) (audit.Scheduled, error)
	MoveSchedule(ctx context.Context, id string, from, to audit.State, upd audit.ScheduleUpdate) (audit.Scheduled, error)
	DueSchedules(ctx context.Context, now time.Time, limit int) ([]audit.Scheduled, error)
	StuckSchedules(ctx context.Context, now time.Time, limit int) ([]audit.Scheduled, error)
	WaitingSchedules(ctx context.Context, limit int) ([]audit.Scheduled, error)
	SchedulesFor(ctx context.Context, pool, subOrUsername string) ([]audit.Scheduled, error)
	AllSchedulesFor(ctx context.Context, pool, subOrUsername string) ([]audit.Scheduled, error)
}

var (
	_ scheduleAPI = (*Store)(nil)
	_ scheduleAPI = (*MemoryStore)(nil)
)

func samplePending(now time.Time) audit.Pending {
	return audit.Pending{
		Kind:      audit.KindApproval,
		Action:    "delete",
		Target:    audit.Target{Pool: "us-east-1_p", Username: "dave", Sub: "sub-d"},
		Params:    map[string]string{"arg.attr:custom:zip_code": "90210", "notify": "yes"},
		Reason:    "ticket 7",
		Requester: audit.Actor{UserID: "UREQ", TeamID: "T1", Name: "erin"},
		Channel:   "C9",
		ExpiresAt: now.Add(15 * time.Minute),
		Snapshot:  &audit.TargetSnapshot{Sub: "sub-d", Status: "CONFIRMED", Enabled: true},
	}
}

// forEachStore runs test against a MemoryStore and a DynamoDB Store.
func forEachStore(t *testing.T, iso isolation, test func(t *testing.T, open storeOpener)) {
	t.Run("memory", func(t *testing.T) {
		var first *MemoryStore
		test(t, func(opts ...audit.Option) storeAPI {
			if first == nil {
				first = NewMemoryStore(opts...)
				return first
			}
			return &MemoryStore{storeCore{t: first.t, opts: audit.SettingsOf(opts)}}
		})
	})
	t.Run("dynamodb", func(t *testing.T) {
		client, tables := emulatorTables(t, iso)
		test(t, func(opts ...audit.Option) storeAPI { return NewStore(client, tables.State, opts...) })
	})
}

// storeAPI is the method set both stores must offer; bot.StateStore is exactly this.
type storeAPI interface {
	Create(ctx context.Context, p audit.Pending) (audit.Pending, error)
	Get(ctx context.Context, id string) (audit.Pending, error)
	Transition(ctx context.Context, id string, from, to audit.State, upd audit.Update) (audit.Pending, error)
	SetCard(ctx context.Context, id, channel, ts string) error
	DueForExpiry(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error)
	StuckExecuting(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error)
	PutSession(ctx context.Context, id string, data map[string]string, ttl time.Duration) error
	GetSession(ctx context.Context, id string) (map[string]string, error)
}
