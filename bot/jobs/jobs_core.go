// Package jobs is the bot's long-running work: bulk jobs (their targets,
// approval, progress and results), exports, actions scheduled for later and
// the undo window of a delete. It builds on flows, whose confirm and approval
// it uses, and implements flows.JobHooks.
package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
)

// Jobs is the long-running work: bulk jobs (their targets, approval and
// progress), exports, scheduled actions and the undo window of a delete. It builds on the flows, which it uses to ask, confirm and approve.
type Jobs struct {
	*flows.Flows
	// Obs is told each running bulk job's progress, and when it ends here.
	Obs BulkObserver
	// ProgressEvery spaces updates of progress messages (chat.update limits).
	ProgressEvery time.Duration
	// Runner runs bulk jobs (nil when the state store keeps none) under
	// BulkLimits, the job share of every Cognito quota.
	Runner     *bulk.Runner
	BulkLimits *bulk.Limits
	// RunCtx is the bot's Run context, for work started by a click that
	// outlives it.
	RunCtx atomic.Pointer[context.Context]
	// Background counts the goroutines started for long checks, exports and
	// late answers; the bot's Run waits for them before it returns.
	Background sync.WaitGroup
	// exportSlots holds a slot per export running, and exporting the people
	// running one (see startExport).
	exportSlots chan struct{}
	exporting   sync.Map
	// exportReqs maps an export job started here to its command, answered
	// when it ends here; exportRuns an export job running here to its exporter.
	exportReqs, exportRuns sync.Map
}

// BulkObserver is told about bulk jobs, for metrics (bot.Observer includes it).
type BulkObserver interface {
	// BulkProgress reports a running bulk job's item counts each time its
	// progress message is updated.
	BulkProgress(job string, total, done, failed, skipped int)
	// BulkDone says a bulk job ended on this replica, or this replica
	// stopped running it.
	BulkDone(job string)
}

// NewJobs returns the long-running work on top of f, with its slots for
// exports.
func NewJobs(f *flows.Flows, obs BulkObserver, progressEvery time.Duration) *Jobs {
	return &Jobs{Flows: f, Obs: obs, ProgressEvery: progressEvery,
		exportSlots: make(chan struct{}, MaxExports)}
}
