package bulk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// Runner runs the jobs this replica holds the lease of.
type Runner struct {
	c       Config
	wg      sync.WaitGroup
	mu      sync.Mutex
	running map[string]bool
	// stopped is set, under mu, when Loop ends: Start then starts nothing, so
	// no job begins after Loop's wait for the running ones (a sweep or a
	// click racing the shutdown would otherwise run it past the bot's end).
	stopped bool
	// turns are the jobs this runner is working on now, for NoteCancel.
	turns map[string]*turn
	// wholeSlots holds a slot per whole job (an export) running here.
	wholeSlots chan struct{}
}

// New returns a runner; Loop and Start make it work.
func New(c Config) *Runner {
	if c.Owner == "" {
		c.Owner = "r-" + audit.NewID()[:10]
	}
	if c.Lease <= 0 {
		c.Lease = 10 * time.Second
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = c.Lease / 3
	}
	if c.ProgressEvery <= 0 {
		c.ProgressEvery = 3 * time.Second
	}
	if c.Parallel <= 0 {
		c.Parallel = 8
	}
	if c.StopGrace <= 0 {
		c.StopGrace = 20 * time.Second
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Ops == nil {
		c.Ops = func(ctx context.Context, job audit.Job) (JobOp, error) { return TableOps(ctx, job, c.Guard) }
	}
	if c.MaxWhole <= 0 {
		c.MaxWhole = MaxWholeDefault
	}
	return &Runner{c: c, running: map[string]bool{}, turns: map[string]*turn{}, wholeSlots: make(chan struct{}, c.MaxWhole)}
}

// Owner is the id this runner holds leases under.
func (r *Runner) Owner() string { return r.c.Owner }

// TableOps is the target work of a job's action as the action table has it:
// the default of Config.Ops, for callers that change only some actions.
func TableOps(ctx context.Context, job audit.Job, guard Guard) (JobOp, error) {
	if job.Action == actions.Import {
		return ImportJob(), nil
	}
	spec, ok := actions.Get(actions.Action(job.Action))
	if !ok || !spec.RunsInBulk() {
		return JobOp{}, fmt.Errorf("%s cannot run as a bulk job", job.Action)
	}
	var check func(cognito.User) string
	if guard != nil {
		check = guard(ctx, job)
	}
	return ActionJob(spec, check), nil
}

// Loop looks for jobs to run every Heartbeat until ctx ends: jobs just started
// and jobs whose runner stopped. Every replica runs it; the lease decides.
func (r *Runner) Loop(ctx context.Context) {
	t := time.NewTicker(r.c.Heartbeat)
	defer t.Stop()
	for {
		r.Poll(ctx)
		select {
		case <-ctx.Done():
			r.mu.Lock()
			r.stopped = true
			r.mu.Unlock()
			r.wg.Wait()
			return
		case <-t.C:
		}
	}
}

// Poll starts every job whose lease has lapsed, once.
func (r *Runner) Poll(ctx context.Context) {
	jobs, err := r.c.Store.JobsToRun(ctx, r.c.Now(), 10)
	if err != nil {
		r.c.Logger.Warn("listing jobs to run", zap.Error(err))
		return
	}
	for _, j := range jobs {
		if r.whole(j) != nil {
			r.StartWhole(ctx, j.ID)
			continue
		}
		r.Start(ctx, j.ID)
	}
}

// Start runs job id in the background if this runner can take its lease. Once
// Loop has ended it does nothing: the job waits for a runner that is running.
func (r *Runner) Start(ctx context.Context, id string) { r.start(ctx, id, nil) }

// start is Start, calling release (when not nil) once the job has stopped
// here; false means nothing was started and release will not be called.
func (r *Runner) start(ctx context.Context, id string, release func()) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[id] || r.stopped {
		return false
	}
	r.running[id] = true
	// Added under mu, so every Add happens before Loop's Wait or not at all.
	r.wg.Go(func() {
		defer func() {
			r.mu.Lock()
			delete(r.running, id)
			r.mu.Unlock()
			if release != nil {
				release()
			}
		}()
		job, err := r.c.Store.AcquireJob(ctx, id, r.c.Owner, r.c.Lease)
		if err != nil {
			if !errors.Is(err, audit.ErrConflict) {
				r.c.Logger.Warn("acquiring a job", zap.String("job", id), zap.Error(err))
			}
			return
		}
		r.run(ctx, job)
	})
	return true
}

// whole is the op of a whole job (an export), nil for a job of targets.
func (r *Runner) whole(job audit.Job) WholeOp {
	if r.c.Whole == nil {
		return nil
	}
	return r.c.Whole(job)
}

// NoteCancel tells this runner at once that job id was cancelled, when it is
// the one running it, instead of at its next heartbeat: no more targets start.
// It returns the job's progress then, and whether this runner had the job.
func (r *Runner) NoteCancel(id string) (Progress, bool) {
	r.mu.Lock()
	t := r.turns[id]
	r.mu.Unlock()
	if t == nil {
		return Progress{}, false
	}
	t.hb.cancelled.Store(true)
	return t.progress(), true
}

// Wait blocks until every job this runner started has stopped.
func (r *Runner) Wait() { r.wg.Wait() }

// run is one runner's turn at a job: heartbeat, settle targets in order, close.
func (r *Runner) run(ctx context.Context, job audit.Job) {
	if w := r.whole(job); w != nil {
		r.runWhole(ctx, job, w)
		return
	}
	log := r.c.Logger.With(zap.String("job", job.ID), zap.String("action", string(job.Action)))
	op, err := r.c.Ops(ctx, job)
	if err != nil {
		log.Error("job has no operation; closing it", zap.Error(err))
		_, _ = r.c.Store.FinishJob(ctx, job.ID, r.c.Owner, audit.JobFinished, err.Error())
		return
	}
	// A shutdown stops the turn from starting targets, but the targets already
	// started run to their end, within StopGrace: cut off while waiting for a
	// rate token, they would fail without Cognito ever being called. The lease
	// is renewed until they have, so no other replica takes the job over and
	// calls them unknown while they are still running.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	defer context.AfterFunc(ctx, func() {
		t := time.AfterFunc(r.c.StopGrace, stopWork)
		context.AfterFunc(work, func() { t.Stop() })
	})()
	hb := r.heartbeat(work, job)
	defer hb.stop()
	t := &turn{r: r, job: job, op: op, hb: hb, log: log, rows: make([]Row, job.Total), started: r.c.Now()}
	if job.Cancelled() {
		hb.cancelled.Store(true)
	}
	r.c.Reporter.Progress(ctx, job, t.progress())
	t.lastReport = r.c.Now()
	r.mu.Lock()
	r.turns[job.ID] = t
	r.mu.Unlock()
	closed := false
	defer func() {
		r.mu.Lock()
		delete(r.turns, job.ID)
		r.mu.Unlock()
		if !closed {
			r.c.Reporter.Released(job)
		}
	}()
	after := -1
	for {
		page, err := r.c.Store.JobTargets(ctx, job.ID, after, 100)
		if err != nil {
			log.Warn("listing targets; the lease will lapse and the job resume", zap.Error(err))
			return
		}
		stopped := false
		sem := make(chan struct{}, r.c.Parallel)
		var wg sync.WaitGroup
		for _, target := range page {
			after = target.Index
			sem <- struct{}{}
			// Checked once a slot is free, as the wait may have been long.
			if hb.lost.Load() || ctx.Err() != nil || t.paused() {
				<-sem
				stopped = true
				break
			}
			wg.Go(func() {
				defer func() { <-sem }()
				tctx, cancel := context.WithTimeout(work, targetTimeout)
				defer cancel()
				defer t.recoverTarget(target)
				t.handle(tctx, target)
				t.maybeReport(tctx)
			})
		}
		wg.Wait()
		if why := t.pauseReason(); why != "" {
			// Nothing is done to a user without its intent on record, and no
			// target is called done or not run without its state stored; the
			// lease lapses and a runner resumes the job, retrying what is left.
			log.Warn("pausing the job until a runner can resume it", zap.String("why", why))
			return
		}
		if stopped {
			log.Info("stopping: lease lost or shutting down")
			return
		}
		if len(page) < 100 {
			break
		}
	}
	final := audit.JobFinished
	p := t.progress()
	if hb.cancelled.Load() && p.Left() > 0 {
		final = audit.JobCancelled
	}
	ended, err := r.c.Store.FinishJob(ctx, job.ID, r.c.Owner, final, summaryOf(p))
	if err != nil {
		log.Warn("closing the job", zap.Error(err))
		return
	}
	closed = true
	hb.stop()
	for i := range t.rows {
		if t.rows[i].Outcome == "" {
			t.rows[i].Action, t.rows[i].Outcome, t.rows[i].Error = string(job.Action), OutcomeNotRun, "job cancelled"
		}
	}
	p.Cancelled = final == audit.JobCancelled
	r.c.Reporter.Finished(context.WithoutCancel(ctx), ended, p, t.rows)
}
