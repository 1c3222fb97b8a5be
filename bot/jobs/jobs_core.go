// Package jobs is the bot's long-running work: bulk jobs (their targets,
// approval, progress and results), actions scheduled for later and the undo
// window of a delete. It builds on flows, whose confirm and approval it uses,
// and implements flows.JobHooks; exports (package exports) build on it and
// are reached through ExportHooks.
package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Jobs is the long-running work: bulk jobs (their targets, approval and
// progress), scheduled actions and the undo window of a delete. It builds on the flows, which it uses to ask, confirm and approve.
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
	// Exports runs exports (package exports, which builds on this one;
	// bot.New sets it).
	Exports ExportHooks
}

// ExportHooks is what the long-running work hands on to the exports: an
// approved export to start as a job, and an export job to launch here.
type ExportHooks interface {
	Approve(ctx context.Context, req *transport.Request, p audit.Pending, pool config.Pool, view views.ApprovalView)
	Launch(ctx context.Context, j audit.Job)
}

// ApproveExport is flows.JobHooks': an approver's Approve of an export,
// started by the exports.
func (b *Jobs) ApproveExport(ctx context.Context, req *transport.Request, p audit.Pending, pool config.Pool, view views.ApprovalView) {
	b.Exports.Approve(ctx, req, p, pool, view)
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

// NewJobs returns the long-running work on top of f.
func NewJobs(f *flows.Flows, obs BulkObserver, progressEvery time.Duration) *Jobs {
	return &Jobs{Flows: f, Obs: obs, ProgressEvery: progressEvery}
}
