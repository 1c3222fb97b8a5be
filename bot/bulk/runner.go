package bulk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// Store is the job half of the state store (audit.Store and audit.MemoryStore).
type Store interface {
	CreateJob(ctx context.Context, j audit.Job, targets []audit.JobTarget) (audit.Job, error)
	GetJob(ctx context.Context, id string) (audit.Job, error)
	StartJob(ctx context.Context, id string, by audit.Actor) (audit.Job, error)
	DiscardJob(ctx context.Context, id string, by audit.Actor) (audit.Job, error)
	AcquireJob(ctx context.Context, id, owner string, lease time.Duration) (audit.Job, error)
	CancelJob(ctx context.Context, id string, by audit.Actor) (audit.Job, error)
	SetJobMessage(ctx context.Context, id, channel, ts string) error
	FinishJob(ctx context.Context, id, owner string, to audit.JobState, summary string) (audit.Job, error)
	JobsToRun(ctx context.Context, now time.Time, limit int) ([]audit.Job, error)
	JobTargets(ctx context.Context, jobID string, after, limit int) ([]audit.JobTarget, error)
	ClaimTarget(ctx context.Context, jobID string, index int, owner string) (audit.JobTarget, error)
	TakeTarget(ctx context.Context, jobID string, index int, from, owner string) (audit.JobTarget, error)
	SettleTarget(ctx context.Context, jobID string, index int, owner string, to audit.TargetState, note string) (audit.JobTarget, error)
}

var (
	_ Store = (*audit.Store)(nil)
	_ Store = (*audit.MemoryStore)(nil)
)

// Entries reads audit entries by id, to learn what became of a target whose
// runner stopped mid-way.
type Entries interface {
	Get(ctx context.Context, id string) (audit.Entry, error)
}

// Reporter shows a job's progress and result to people (the Slack side).
type Reporter interface {
	// Progress is called when a runner starts or resumes a job and then at most
	// once per Config.ProgressEvery.
	Progress(ctx context.Context, job audit.Job, p Progress)
	// Finished is called once per job, by the runner that closed it.
	Finished(ctx context.Context, job audit.Job, p Progress, rows []Row)
	// Released is called when this runner stops working on a job it reported
	// progress for without closing it (lease lost, shutdown, storage down):
	// another runner takes it over, so what this one showed of it is stale.
	Released(job audit.Job)
}

// Progress counts a job's targets.
type Progress struct {
	Total, Done, Failed, Skipped int
	// Rate is targets settled per second by this runner; ETA the time left at it.
	Rate      float64
	ETA       time.Duration
	Cancelled bool
}

// Left is how many targets are not settled yet.
func (p Progress) Left() int { return p.Total - p.Done - p.Failed - p.Skipped }

// Row is one target's line of the results CSV.
type Row struct {
	Username, Sub, Action, Outcome, Error string
}

// Outcomes as the results CSV spells them.
const (
	OutcomeDone    = "done"
	OutcomeFailed  = "failed"
	OutcomeSkipped = "skipped"
	OutcomeNotRun  = "not run"
)

// Config carries a runner's dependencies.
type Config struct {
	Store    Store
	Pipeline *pipeline.Pipeline
	Entries  Entries
	Reporter Reporter
	Limits   *Limits
	// Ops returns the target work of a job's action; nil means ActionJob of
	// the action table's spec (ImportJob for an import).
	Ops func(ctx context.Context, job audit.Job) (JobOp, error)
	// Guard is the policy's word on each target as it is now; nil: none.
	Guard Guard
	// Owner names this replica in leases; "" means a random id.
	Owner string
	// Lease is how long a lease lasts (10 s); Heartbeat how often it is renewed
	// and lapsed jobs are looked for (Lease/3). Another replica takes a job over
	// at most Lease + Heartbeat after its runner stopped.
	Lease, Heartbeat time.Duration
	// ProgressEvery spaces progress reports (3 s, within chat.update's limits).
	ProgressEvery time.Duration
	// StopGrace is how long targets already started may still run once the
	// runner is told to stop (20 s, within a pod's grace period).
	StopGrace time.Duration
	// Parallel is how many targets of a job one runner works on at once (8);
	// the job limiters, not this, set the pace, but one target at a time
	// cannot reach a raised quota through the round trips each one needs.
	Parallel int
	Logger   *zap.Logger
	Now      func() time.Time
}

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
	return &Runner{c: c, running: map[string]bool{}, turns: map[string]*turn{}}
}

// Owner is the id this runner holds leases under.
func (r *Runner) Owner() string { return r.c.Owner }

// TableOps is the target work of a job's action as the action table has it:
// the default of Config.Ops, for callers that change only some actions.
func TableOps(ctx context.Context, job audit.Job, guard Guard) (JobOp, error) {
	if job.Action == string(actions.Import) {
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
		r.Start(ctx, j.ID)
	}
}

// Start runs job id in the background if this runner can take its lease. Once
// Loop has ended it does nothing: the job waits for a runner that is running.
func (r *Runner) Start(ctx context.Context, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[id] || r.stopped {
		return
	}
	r.running[id] = true
	// Added under mu, so every Add happens before Loop's Wait or not at all.
	r.wg.Go(func() {
		defer func() {
			r.mu.Lock()
			delete(r.running, id)
			r.mu.Unlock()
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
	log := r.c.Logger.With(zap.String("job", job.ID), zap.String("action", job.Action))
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
			t.rows[i].Action, t.rows[i].Outcome, t.rows[i].Error = job.Action, OutcomeNotRun, "job cancelled"
		}
	}
	p.Cancelled = final == audit.JobCancelled
	r.c.Reporter.Finished(context.WithoutCancel(ctx), ended, p, t.rows)
}

func summaryOf(p Progress) string {
	return fmt.Sprintf("%d done, %d failed, %d skipped, %d not run", p.Done, p.Failed, p.Skipped, p.Left())
}

// turn is the state of one runner's run of one job.
type turn struct {
	r       *Runner
	job     audit.Job
	op      JobOp
	hb      *heartbeat
	log     *zap.Logger
	started time.Time
	// mu guards what the targets worked on at once share.
	mu         sync.Mutex
	rows       []Row
	counts     Progress
	settled    int // by this turn, for the rate
	lastReport time.Time
	// pause is set, with why, when the audit log or the state store failed
	// for a target: the turn stops and the job waits, its unsettled targets
	// retried later, rather than being closed with them "not run".
	pause atomic.Pointer[string]
}

// targetTimeout bounds one target's work, its rate-limit waits included.
const targetTimeout = time.Minute

// pauseFor stops the turn between targets; the first reason is kept.
func (t *turn) pauseFor(why string) { t.pause.CompareAndSwap(nil, &why) }

func (t *turn) paused() bool { return t.pause.Load() != nil }

func (t *turn) pauseReason() string {
	if why := t.pause.Load(); why != nil {
		return *why
	}
	return ""
}

func (t *turn) progress() Progress {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.counts
	p.Total = t.job.Total
	p.Cancelled = t.hb.cancelled.Load()
	if el := t.r.c.Now().Sub(t.started).Seconds(); el > 0 && t.settled > 0 {
		p.Rate = float64(t.settled) / el
		p.ETA = time.Duration(float64(p.Left()) / p.Rate * float64(time.Second))
	}
	return p
}

func (t *turn) maybeReport(ctx context.Context) {
	t.mu.Lock()
	now := t.r.c.Now()
	due := now.Sub(t.lastReport) >= t.r.c.ProgressEvery
	if due {
		t.lastReport = now
	}
	t.mu.Unlock()
	if due {
		t.r.c.Reporter.Progress(ctx, t.job, t.progress())
	}
}

// record counts a settled target and keeps its row.
func (t *turn) record(target audit.JobTarget) {
	row := Row{Username: firstNonEmpty(target.Username, target.Input), Sub: target.Sub, Action: t.job.Action, Error: ""}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch target.State {
	case audit.TargetDone:
		t.counts.Done++
		row.Outcome = OutcomeDone
	case audit.TargetFailed:
		t.counts.Failed++
		row.Outcome, row.Error = OutcomeFailed, target.Note
	case audit.TargetSkipped:
		t.counts.Skipped++
		row.Outcome, row.Error = OutcomeSkipped, target.Note
	default:
		return
	}
	if target.Index >= 0 && target.Index < len(t.rows) {
		t.rows[target.Index] = row
	}
}

// name keeps the target's identity in its row, so a target left unsettled
// (a cancelled job) is still named in the results.
func (t *turn) name(target audit.JobTarget) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i := target.Index; i >= 0 && i < len(t.rows) && t.rows[i].Outcome == "" {
		t.rows[i].Username, t.rows[i].Sub = firstNonEmpty(target.Username, target.Input), target.Sub
	}
}

// handle brings one target to a final state, or leaves it alone when cancelled.
func (t *turn) handle(ctx context.Context, target audit.JobTarget) {
	store, owner := t.r.c.Store, t.r.c.Owner
	t.name(target)
	switch target.State {
	case audit.TargetDone, audit.TargetFailed, audit.TargetSkipped:
		t.record(target)
		return
	case audit.TargetRunning:
		// Left by an earlier turn (this runner's too, before a pause): its
		// audit entry says whether it ran; recover runs it only if it never
		// did and the job is not cancelled.
		t.recover(ctx, target)
		return
	}
	if t.hb.cancelled.Load() {
		return
	}
	claimed, err := store.ClaimTarget(ctx, t.job.ID, target.Index, owner)
	var lost *audit.TargetError
	switch {
	case errors.As(err, &lost):
		if lost.Current.State.Final() {
			t.record(lost.Current)
		} else if lost.Current.State == audit.TargetRunning {
			t.recover(ctx, lost.Current)
		}
		return
	case err != nil:
		t.log.Warn("claiming a target", zap.Int("target", target.Index), zap.Error(err))
		t.pauseFor("state store unavailable")
		return
	}
	t.runTarget(ctx, claimed)
}

// heartbeat renews a job's lease until stopped, and notes a cancel request or a
// lost lease for the runner to act on between targets.
type heartbeat struct {
	cancelled, lost atomic.Bool
	done            chan struct{}
	once            sync.Once
	wg              sync.WaitGroup
}

func (r *Runner) heartbeat(ctx context.Context, job audit.Job) *heartbeat {
	h := &heartbeat{done: make(chan struct{})}
	h.wg.Go(func() {
		t := time.NewTicker(r.c.Heartbeat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-h.done:
				return
			case <-t.C:
			}
			j, err := r.c.Store.AcquireJob(ctx, job.ID, r.c.Owner, r.c.Lease)
			switch {
			case errors.Is(err, audit.ErrConflict):
				h.lost.Store(true)
				return
			case err != nil:
				r.c.Logger.Warn("renewing a job lease", zap.String("job", job.ID), zap.Error(err))
			case j.Cancelled():
				h.cancelled.Store(true)
			}
		}
	})
	return h
}

func (h *heartbeat) stop() {
	h.once.Do(func() { close(h.done) })
	h.wg.Wait()
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ApprovalID is the pending approval a job was started under, "" when its
// requester started it alone: each target's audit entry carries it. Only an
// approver other than the requester starts a job that way.
func ApprovalID(j audit.Job) string {
	if j.StartedBy.UserID == "" || j.StartedBy.UserID == j.Requester.UserID {
		return ""
	}
	return JobApprovalID(j.ID)
}

// JobApprovalID is the pending approval of job id: one per job, so a second
// Confirm click finds the first request.
func JobApprovalID(jobID string) string { return "ja" + jobID }
