package longjobs

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
)

// Run is one attempt at a check on this replica: what its progress message
// shows.
type Run struct {
	b        *Checks
	view     bulkview.CheckProgressView
	started  time.Time
	read     atomic.Int64
	channel  string
	ts       string
	mu       sync.Mutex
	reported time.Time
}

// NewRun starts the progress of job's attempt here, finding its message
// (read again when the job was taken before it was recorded).
func (b *Checks) NewRun(ctx context.Context, job audit.Job, view bulkview.CheckProgressView) *Run {
	if job.MessageTS == "" {
		if fresh, err := b.JobStore.GetJob(ctx, job.ID); err == nil {
			job.MessageChannel, job.MessageTS = fresh.MessageChannel, fresh.MessageTS
		}
	}
	b.renew(ctx, job)
	view.JobID = job.ID
	run := &Run{b: b, view: view, started: b.Now(), channel: job.MessageChannel, ts: job.MessageTS}
	run.reported = run.started
	b.runs.Store(job.ID, run)
	return run
}

// Read is how many users the attempt has read so far.
func (r *Run) Read() int { return int(r.read.Load()) }

// Progress records that users have been read and updates the message at
// most every progress interval.
func (r *Run) Progress(ctx context.Context, users int) {
	r.read.Store(int64(users))
	now := r.b.Now()
	r.mu.Lock()
	due := now.Sub(r.reported) >= r.b.ProgressEvery
	if due {
		r.reported = now
	}
	r.mu.Unlock()
	if due {
		r.show(ctx, func(*bulkview.CheckProgressView) {})
	}
}

// show updates the progress message with the counts now, as change adjusts them.
func (r *Run) show(ctx context.Context, change func(*bulkview.CheckProgressView)) {
	if r.ts == "" {
		return
	}
	v := r.view
	v.Read, v.Elapsed = r.Read(), r.b.Now().Sub(r.started)
	change(&v)
	if err := r.b.UpdateMessage(ctx, r.channel, r.ts, bulkview.CheckProgress(v)); err != nil {
		r.b.Log.Warn("updating a check's progress", zap.Error(err))
	}
}

// Ending says how a check's failure is answered: Answer replies to its
// command, Text is the sentence its progress message shows.
type Ending struct {
	Answer func(req *transport.Request, err error)
	Text   func(req *transport.Request, err error) string
}

// Finish shows how a check job ended, by the runner that closed it (a
// bulk.WholeOp's Finished): its progress message in its final state and,
// unless its answer was delivered, an answer to its command.
func (b *Checks) Finish(ctx context.Context, job audit.Job, view bulkview.CheckProgressView, delivered bool, err error, end Ending) {
	b.release(ctx, job.Requester, job.ID)
	b.files.Delete(job.ID)
	req := b.Request(job)
	b.reqs.Delete(job.ID)
	run := &Run{b: b, view: view, started: job.CreatedAt, channel: job.MessageChannel, ts: job.MessageTS}
	run.view.JobID = job.ID
	if r, ok := b.runs.LoadAndDelete(job.ID); ok {
		run = r.(*Run)
	}
	switch {
	case job.State == audit.JobCancelled:
		run.show(ctx, func(v *bulkview.CheckProgressView) { v.Cancelled = true })
		b.Reply(ctx, req, views.Notice("The check was cancelled. Nothing was done."), desk.ReplyEphemeral)
	case err != nil:
		run.show(ctx, func(v *bulkview.CheckProgressView) { v.Failed = end.Text(req, err) })
		end.Answer(req, err)
	case delivered:
		run.show(ctx, func(v *bulkview.CheckProgressView) { v.Finished = true })
	}
}
