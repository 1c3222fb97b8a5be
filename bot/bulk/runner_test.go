package bulk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

const poolID = "us-east-1_Bulk"

// allow lets everyone do everything, except actions listed in deny.
type allow struct{ deny map[config.Action]bool }

func (a allow) Decide(_ context.Context, _ policy.Actor, r policy.Request) policy.Decision {
	if r.Stage != policy.Review && a.deny[r.Action] {
		return policy.Decision{Reason: "not allowed"}
	}
	return policy.Decision{Verdict: policy.Allow}
}

// recorder is a Reporter that keeps what it was told.
type recorder struct {
	mu       sync.Mutex
	progress []Progress
	finished []Progress
	rows     []Row
	released []string
	done     chan struct{}
}

func newRecorder() *recorder { return &recorder{done: make(chan struct{}, 4)} }

func (r *recorder) Progress(_ context.Context, _ audit.Job, p Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.progress = append(r.progress, p)
}

func (r *recorder) Finished(_ context.Context, _ audit.Job, p Progress, rows []Row) {
	r.mu.Lock()
	r.finished = append(r.finished, p)
	r.rows = rows
	r.mu.Unlock()
	r.done <- struct{}{}
}

func (r *recorder) Released(j audit.Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.released = append(r.released, j.ID)
}

func (r *recorder) wait(t *testing.T) {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(20 * time.Second):
		t.Fatal("the job did not finish")
	}
}

// world is a pool of users, a shared store and log, and runners on them.
type world struct {
	t     *testing.T
	dir   *memdir.Memory
	store *state.MemoryStore
	log   *audit.MemoryLog
	rep   *recorder
	// clock is the store's and the runners' clock: the real one, which a test
	// moves ahead to make a lease lapse at once instead of waiting it out.
	clock *skewClock
	// lease is the runners' lease (defaultTestLease when 0); their heartbeat
	// is a sixth of it, at least testHeartbeatFloor, unless heartbeat is set.
	// A test whose job waits for a lease to lapse, and in which no two runners
	// hold the job at once, shortens it.
	lease, heartbeat time.Duration
	// throttlePause is the runners' first pause after a throttled call
	// (Limits.ThrottlePause; the product's default when 0).
	throttlePause time.Duration
}

// defaultTestLease leaves a runner's heartbeat (a sixth of it) ample time to
// renew the lease under a loaded machine, so another runner never takes a
// job over that is still running.
const defaultTestLease = 300 * time.Millisecond

// shortTestLease is for tests with one runner at a time (or a second started
// once the first has died): it lapses almost at once, so a paused or dead
// runner's job is looked for again at the next poll. A lapse caused by a slow
// heartbeat only has the same runner renew its own lease.
const shortTestLease = time.Millisecond

// testHeartbeatFloor keeps a short lease's heartbeat, which is also how often
// a runner looks for jobs, from spinning.
const testHeartbeatFloor = 5 * time.Millisecond

// skewClock is the real clock moved ahead by the test, so a lease lapses when
// the test says, not after a real wait.
type skewClock struct{ ahead atomic.Int64 }

func (c *skewClock) Now() time.Time { return time.Now().Add(time.Duration(c.ahead.Load())) }

// advance moves the clock d ahead.
func (c *skewClock) advance(d time.Duration) { c.ahead.Add(int64(d)) }

func newWorld(t *testing.T, users, disabled int) *world {
	t.Helper()
	dir := memdir.New()
	if err := dir.AddPool(memdir.PoolSpec{ID: poolID}); err != nil {
		t.Fatal(err)
	}
	for i := range users {
		if err := dir.Seed(poolID, memdir.SeedUser{Username: fmt.Sprintf("u%03d", i), Disabled: i < disabled}); err != nil {
			t.Fatal(err)
		}
	}
	clock := &skewClock{}
	return &world{t: t, dir: dir, store: state.NewMemoryStore(audit.WithStartHold(0), audit.WithClock(clock.Now)),
		log: audit.NewMemoryLog(time.Hour), rep: newRecorder(), clock: clock}
}

// fastQuotas paces UserUpdate at rate and every other category at 1000/s,
// or at rate when that is faster.
func fastQuotas(rate float64) config.Quotas {
	o := max(1000, rate)
	return config.Quotas{UserRead: o, UserList: o, UserCreation: o, UserUpdate: rate,
		UserAccountRecovery: o, UserResourceRead: o, UserResourceUpdate: o, UserPoolRead: o, UserPoolResourceRead: o}
}

func (w *world) runner(owner string, dir pipeline.Directory, log pipeline.AuditLog, store Store, rate float64) *Runner {
	return w.runnerN(owner, dir, log, store, rate, 0)
}

// runnerN is runner working on parallel targets at once (0: the default).
func (w *world) runnerN(owner string, dir pipeline.Directory, log pipeline.AuditLog, store Store, rate float64, parallel int) *Runner {
	if log == nil {
		log = w.log
	}
	if store == nil {
		store = w.store
	}
	lease := cmp.Or(w.lease, defaultTestLease)
	return New(Config{
		Store: store, Pipeline: pipeline.New(dir, log, allow{}, nil, nil), Entries: w.log, Reporter: w.rep,
		Limits: NewLimits(fastQuotas(rate), 0).ThrottlePause(w.throttlePause), Owner: owner,
		Lease: lease, Heartbeat: cmp.Or(w.heartbeat, max(lease/6, testHeartbeatFloor)), Now: w.clock.Now,
		ProgressEvery: 20 * time.Millisecond, Parallel: parallel,
	})
}

// startJob stores and starts a disable job over every user of the pool.
func (w *world) startJob(action string, n int) audit.Job {
	w.t.Helper()
	ctx := context.Background()
	targets := make([]audit.JobTarget, n)
	for i := range targets {
		u, err := w.dir.GetUser(underIntent(ctx), poolID, fmt.Sprintf("u%03d", i))
		if err != nil {
			w.t.Fatal(err)
		}
		targets[i] = audit.JobTarget{Input: u.Username, Username: u.Username, Sub: u.Sub}
	}
	j, err := w.store.CreateJob(ctx, audit.Job{Action: actions.Action(action), Pool: "prod", PoolID: poolID,
		Requester: audit.Actor{UserID: "U1", TeamID: "T1"}, Channel: "C1", ExpiresAt: time.Now().Add(time.Hour)}, targets)
	if err != nil {
		w.t.Fatal(err)
	}
	if j, err = w.store.StartJob(ctx, j.ID, audit.Actor{UserID: "U1", TeamID: "T1"}); err != nil {
		w.t.Fatal(err)
	}
	return j
}

// auditCounts returns how many entries each target of the job has.
func (w *world) auditCounts(job audit.Job) map[int]int {
	counts := map[int]int{}
	for _, e := range w.log.Recent(0) {
		if e.Params["job"] == job.ID && e.Decision == audit.Allowed {
			var n int
			fmt.Sscan(e.Params["target"], &n)
			counts[n]++
		}
	}
	return counts
}

func TestJobDisablesEveryUserOnceSkipsTheDisabledAndReportsEachRow(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 30, 4)
	job := w.startJob("disable", 30)
	r := w.runner("A", w.dir, nil, nil, 1000)
	r.Start(context.Background(), job.ID)
	w.rep.wait(t)
	r.Wait()
	p := w.rep.finished[0]
	if p.Done != 26 || p.Skipped != 4 || p.Failed != 0 || p.Left() != 0 {
		t.Fatalf("final progress %+v; want 26 done, 4 skipped", p)
	}
	for i, row := range w.rep.rows {
		want := OutcomeDone
		if i < 4 {
			want = OutcomeSkipped
		}
		if row.Username != fmt.Sprintf("u%03d", i) || row.Outcome != want || row.Sub == "" || row.Action != "disable" {
			t.Errorf("row %d = %+v; want %s", i, row, want)
		}
		if u, _ := w.dir.GetUser(underIntent(context.Background()), poolID, row.Username); u.Enabled {
			t.Errorf("%s still enabled", row.Username)
		}
	}
	for i, n := range w.auditCounts(job) {
		if n != 1 {
			t.Errorf("target %d audited %d times", i, n)
		}
	}
	if len(w.auditCounts(job)) != 30 {
		t.Errorf("%d targets audited; want 30", len(w.auditCounts(job)))
	}
	if got, _ := w.store.GetJob(context.Background(), job.ID); got.State != audit.JobFinished {
		t.Errorf("job state %s; want FINISHED", got.State)
	}
}

// throttling fails every fifth write and every fifth read with ErrThrottled, as
// Cognito does when the account's quota is spent by someone else.
type throttling struct {
	pipeline.Directory
	calls atomic.Int64
}

func (d *throttling) throttle() bool { return d.calls.Add(1)%5 == 0 }

func (d *throttling) GetUser(ctx context.Context, pool, username string) (*cognito.User, error) {
	if d.throttle() {
		return nil, fmt.Errorf("reading: %w", cognito.ErrThrottled)
	}
	return d.Directory.GetUser(ctx, pool, username)
}

func (d *throttling) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	if d.throttle() {
		return cognito.Result{}, fmt.Errorf("disabling: %w", cognito.ErrThrottled)
	}
	return d.Directory.DisableUser(ctx, pool, username)
}

func TestThrottlingOnAFifthOfCallsSlowsTheJobButFailsNoTarget(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 40, 0)
	w.throttlePause = time.Millisecond
	job := w.startJob("disable", 40)
	dir := &throttling{Directory: w.dir}
	r := w.runner("A", dir, nil, nil, 10000) // halved at every fifth call, the rates stay in the thousands
	r.Start(context.Background(), job.ID)
	w.rep.wait(t)
	r.Wait()
	if p := w.rep.finished[0]; p.Done != 40 || p.Failed != 0 {
		t.Fatalf("final progress %+v; want all 40 done, none failed", p)
	}
	// 80 calls succeeded; every fifth call of all was throttled and retried.
	if n := dir.calls.Load(); n < 99 {
		t.Errorf("%d calls; want about 100 (80 plus the retried fifth)", n)
	}
}

func TestCancelStopsTheJobBetweenTargets(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 40, 0)
	w.heartbeat = 5 * time.Millisecond
	job := w.startJob("disable", 40)
	// Five targets run; the next two wait in Cognito until the runner's
	// heartbeat has brought it the cancel, however slow the machine.
	gated := &gateAfter{Directory: w.dir, free: 5, gate: make(chan struct{})}
	open := sync.OnceFunc(func() { close(gated.gate) })
	defer open()
	store := &cancelWatch{Store: w.store}
	r := w.runnerN("A", gated, nil, store, 1000, 2)
	ctx := context.Background()
	r.Start(ctx, job.ID)
	waitUntil(t, 30*time.Second, func() bool { return gated.calls.Load() >= 7 }, func() string { return "the job did not start" })
	if _, err := w.store.CancelJob(ctx, job.ID, audit.Actor{UserID: "U1", TeamID: "T1"}); err != nil {
		t.Fatal(err)
	}
	cancelledAt := len(w.auditCounts(job))
	// A renewal brings the heartbeat the cancel; the heartbeat's next renewal
	// begins only once it has noted it.
	waitUntil(t, 30*time.Second, func() bool { return store.renewedSince.Load() > 0 }, func() string { return "the heartbeat never renewed the lease after the cancel" })
	open()
	w.rep.wait(t)
	r.Wait()
	p := w.rep.finished[0]
	if !p.Cancelled || p.Done == 0 || p.Done >= 40 || p.Left() == 0 {
		t.Fatalf("final progress %+v; want cancelled part-way", p)
	}
	if ran := len(w.auditCounts(job)); ran > cancelledAt {
		t.Errorf("%d targets ran, %d when cancelled; the job should start none once its heartbeat saw the cancel", ran, cancelledAt)
	}
	notRun := 0
	for i, row := range w.rep.rows {
		if row.Outcome == OutcomeNotRun {
			notRun++
			if row.Username != fmt.Sprintf("u%03d", i) || row.Sub == "" {
				t.Errorf("row %d not run names %q (sub %q); want the target it did not run", i, row.Username, row.Sub)
			}
		}
	}
	if notRun != p.Left() {
		t.Errorf("%d rows not run; want %d", notRun, p.Left())
	}
	if got, _ := w.store.GetJob(ctx, job.ID); got.State != audit.JobCancelled {
		t.Errorf("job %s; want CANCELLED", got.State)
	}
}

// gateAfter is a directory whose disables after the first free wait at a gate
// the test opens.
type gateAfter struct {
	pipeline.Directory
	free  int64
	calls atomic.Int64
	gate  chan struct{}
}

func (g *gateAfter) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	if g.calls.Add(1) > g.free {
		<-g.gate
	}
	return g.Directory.DisableUser(ctx, pool, username)
}

// cancelWatch is a state store that counts the lease renewals begun after
// one brought its runner the job's cancel.
type cancelWatch struct {
	Store
	seen         atomic.Bool
	renewedSince atomic.Int64
}

func (s *cancelWatch) AcquireJob(ctx context.Context, id, owner string, lease time.Duration) (audit.Job, error) {
	if s.seen.Load() {
		s.renewedSince.Add(1)
	}
	j, err := s.Store.AcquireJob(ctx, id, owner, lease)
	if err == nil && j.Cancelled() {
		s.seen.Store(true)
	}
	return j, err
}

// dying is replica A's world after its process died: from the crash on, it
// reaches neither Cognito nor DynamoDB.
type dying struct {
	pipeline.Directory
	pipeline.AuditLog
	Store
	calls   atomic.Int64
	crashAt int64
	dead    atomic.Bool
	kill    context.CancelFunc
	// crashedOn is the user of the crashAt-th call, the last that reached
	// Cognito: with targets in parallel, not necessarily target crashAt-1.
	crashedOn string
}

var errDead = errors.New("process is dead")

func (d *dying) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	if d.dead.Load() {
		return cognito.Result{}, errDead
	}
	res, err := d.Directory.DisableUser(ctx, pool, username)
	if d.calls.Add(1) == d.crashAt { // dies right after Cognito answered
		d.crashedOn = username
		d.dead.Store(true)
		d.kill()
	}
	return res, err
}

func (d *dying) Begin(ctx context.Context, e audit.Entry) error {
	if d.dead.Load() {
		return errDead
	}
	return d.AuditLog.Begin(ctx, e)
}

func (d *dying) Finish(ctx context.Context, id string, o audit.Outcome, m, rid string) error {
	if d.dead.Load() {
		return errDead
	}
	return d.AuditLog.Finish(ctx, id, o, m, rid)
}

func (d *dying) FinishResolved(ctx context.Context, id string, o audit.Outcome, m, rid string, t audit.Target) error {
	if d.dead.Load() {
		return errDead
	}
	return d.AuditLog.FinishResolved(ctx, id, o, m, rid, t)
}

func (d *dying) AcquireJob(ctx context.Context, id, owner string, lease time.Duration) (audit.Job, error) {
	if d.dead.Load() {
		return audit.Job{}, errDead
	}
	return d.Store.AcquireJob(ctx, id, owner, lease)
}

func (d *dying) SettleTarget(ctx context.Context, jobID string, i int, owner string, to audit.TargetState, note string) (audit.JobTarget, error) {
	if d.dead.Load() {
		return audit.JobTarget{}, errDead
	}
	return d.Store.SettleTarget(ctx, jobID, i, owner, to, note)
}

func TestAnotherReplicaFinishesTheJobOfOneThatDiedAuditingEveryTargetOnce(t *testing.T) {
	t.Parallel()
	takeOver(t, 1)
}

// With several targets in flight at the crash, each is settled by reading its
// user back: the one whose call reached Cognito is found disabled and done;
// the others, never called, run again. No target is lost or unknown.
func TestTakeOverAfterACrashWithTargetsInFlight(t *testing.T) {
	t.Parallel()
	takeOver(t, 4)
}

// disableCounter counts the successful disables of each user.
type disableCounter struct {
	pipeline.Directory
	mu    sync.Mutex
	calls map[string]int
}

func (d *disableCounter) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	res, err := d.Directory.DisableUser(ctx, pool, username)
	if err == nil {
		d.mu.Lock()
		d.calls[username]++
		d.mu.Unlock()
	}
	return res, err
}

func takeOver(t *testing.T, parallel int) {
	w := newWorld(t, 30, 0)
	w.lease = shortTestLease // B starts once A has died
	job := w.startJob("disable", 30)
	counted := &disableCounter{Directory: w.dir, calls: map[string]int{}}
	ctxA, kill := context.WithCancel(context.Background())
	a := &dying{Directory: counted, AuditLog: w.log, Store: w.store, crashAt: 12, kill: kill}
	ra := w.runnerN("A", a, a, a, 1000, parallel)
	ra.Start(ctxA, job.ID)
	ra.Wait()
	if !a.dead.Load() {
		t.Fatal("replica A never reached its crash point")
	}
	if j, _ := w.store.GetJob(context.Background(), job.ID); j.Owner != "A" || j.State != audit.JobRunning {
		t.Fatalf("job after the crash: %+v; want still RUNNING under A", j)
	}
	if !slices.Equal(w.rep.released, []string{job.ID}) {
		t.Errorf("released %v after A stopped; want the job, so A's progress series goes", w.rep.released)
	}
	rb := w.runnerN("B", counted, nil, nil, 1000, parallel)
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()
	go rb.Loop(ctxB)
	w.rep.wait(t)
	stopB()
	rb.Wait()
	if len(w.rep.released) != 1 {
		t.Errorf("released %v; B closed the job, so only A's turn was released", w.rep.released)
	}
	if p := w.rep.finished[0]; p.Done != 30 || p.Failed != 0 {
		t.Fatalf("final progress %+v; want every target done, none failed or unknown", p)
	}
	for i := range 30 {
		name := fmt.Sprintf("u%03d", i)
		if n := counted.calls[name]; n != 1 {
			t.Errorf("%s disabled %d times; want exactly once", name, n)
		}
		if u, _ := w.dir.GetUser(underIntent(context.Background()), poolID, name); u.Enabled {
			t.Errorf("%s is still enabled", name)
		}
	}
	// Every intent of the job has an outcome; the crashed target's first
	// intent is closed by what the read-back showed.
	for _, e := range w.log.Recent(0) {
		if e.Params["job"] == job.ID && e.Decision == audit.Allowed && e.Outcome == audit.OutcomePending {
			t.Errorf("intent %s left open", e.ID)
		}
	}
	var crashed int
	if _, err := fmt.Sscanf(a.crashedOn, "u%03d", &crashed); err != nil {
		t.Fatalf("the crash was on %q: %v", a.crashedOn, err)
	}
	if e, _ := w.log.Get(context.Background(), auditid.ForJobTarget(job.ID, crashed)); e.Outcome != audit.OutcomeOK {
		t.Errorf("the crashed target's intent (%s) is %q (%s); want OK: its disable reached Cognito and was read back", a.crashedOn, e.Outcome, e.Message)
	}
}

func TestRequesterWhoLostTheActionHasEveryTargetDenied(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 3, 0)
	job := w.startJob("disable", 3)
	r := New(Config{Store: w.store, Pipeline: pipeline.New(w.dir, w.log, allow{deny: map[config.Action]bool{"disable": true}}, nil, nil),
		Entries: w.log, Reporter: w.rep, Limits: NewLimits(fastQuotas(1000), 0), Owner: "A"})
	r.Start(context.Background(), job.ID)
	w.rep.wait(t)
	r.Wait()
	if p := w.rep.finished[0]; p.Failed != 3 || w.rep.rows[0].Error != "denied: not allowed" {
		t.Fatalf("progress %+v rows %+v; want every target denied", p, w.rep.rows)
	}
	if u, _ := w.dir.GetUser(underIntent(context.Background()), poolID, "u000"); !u.Enabled {
		t.Error("a denied target was disabled")
	}
}

// downLog is an audit log that refuses every intent from its downAt-th one
// until the test brings it back.
type downLog struct {
	pipeline.AuditLog
	begins, refused atomic.Int64
	downAt          int64
	down            atomic.Bool
}

func (l *downLog) Begin(ctx context.Context, e audit.Entry) error {
	if l.begins.Add(1) == l.downAt {
		l.down.Store(true)
	}
	if l.down.Load() {
		l.refused.Add(1)
		return errors.New("audit table unavailable")
	}
	return l.AuditLog.Begin(ctx, e)
}

// With the audit log down mid-job, no user is touched without an intent on
// record, and the job is not closed with its unsettled targets "not run": it
// waits, and finishes every target, each audited once, once the log is back.
func TestAuditLogDownMidJobPausesTheJobUntilItIsBack(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 20, 0)
	w.lease = shortTestLease // one runner at a time
	job := w.startJob("disable", 20)
	down := &downLog{AuditLog: w.log, downAt: 8}
	r := w.runner("A", w.dir, down, nil, 1000)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go r.Loop(ctx)

	// More refusals than targets were left: the job was tried again, not closed.
	waitUntil(t, 20*time.Second, func() bool { return down.refused.Load() > 13 }, func() string {
		return fmt.Sprintf("only %d intents refused; the job should keep trying while the audit log is down", down.refused.Load())
	})
	if got, _ := w.store.GetJob(ctx, job.ID); got.State != audit.JobRunning {
		t.Fatalf("job %s while the audit log is down; want RUNNING, waiting", got.State)
	}
	down.down.Store(false)
	w.rep.wait(t)
	stop()
	r.Wait()
	if p := w.rep.finished[0]; p.Done != 20 || p.Left() != 0 {
		t.Fatalf("final progress %+v; want all 20 done", p)
	}
	counts := w.auditCounts(job)
	if len(counts) != 20 {
		t.Errorf("%d targets audited; want 20", len(counts))
	}
	for i, n := range counts {
		if n != 1 {
			t.Errorf("target %d audited %d times; want once", i, n)
		}
	}
}

// A runner told of a cancel by its own replica stops starting targets at
// once, without waiting for its next heartbeat (here ten seconds away, long
// enough for the whole job to run otherwise).
func TestNoteCancelStopsTheJobWithoutWaitingForTheHeartbeat(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 40, 0)
	job := w.startJob("disable", 40)
	// The first two targets wait in Cognito until the cancel is noted, so the
	// job is at its start when cancelled however slow the machine; without
	// the note it would run all 40 (a few milliseconds) before its next heartbeat.
	gated := &gatedDisable{Directory: w.dir, gate: make(chan struct{})}
	open := sync.OnceFunc(func() { close(gated.gate) })
	defer open()
	r := New(Config{
		Store: w.store, Pipeline: pipeline.New(gated, w.log, allow{}, nil, nil), Entries: w.log, Reporter: w.rep,
		Limits: NewLimits(fastQuotas(1000), 0), Owner: "A", Lease: 30 * time.Second, Heartbeat: 10 * time.Second,
		ProgressEvery: 20 * time.Millisecond, Parallel: 2,
	})
	ctx := context.Background()
	r.Start(ctx, job.ID)
	waitUntil(t, 30*time.Second, func() bool { return gated.inFlight.Load() >= 2 }, func() string { return "the job did not start" })
	if _, err := w.store.CancelJob(ctx, job.ID, audit.Actor{UserID: "U1", TeamID: "T1"}); err != nil {
		t.Fatal(err)
	}
	if _, local := r.NoteCancel(job.ID); !local {
		t.Fatal("the runner running the job does not know it")
	}
	open()
	w.rep.wait(t)
	r.Wait()
	if p := w.rep.finished[0]; !p.Cancelled || p.Left() < 20 {
		t.Fatalf("final progress %+v; want the job stopped soon after the cancel", p)
	}
}

// A shutdown (not a crash) lets the targets in flight finish instead of
// failing them while they wait for a rate token; the job is left for a runner
// to resume, and every target ends done, audited once.
func TestShutdownFailsNoTargetAndTheJobResumes(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 20, 0)
	w.lease = shortTestLease // one runner at a time
	job := w.startJob("disable", 20)
	a := w.runnerN("A", w.dir, nil, nil, 100, 4) // 100/s: the targets in flight wait for tokens
	ctxA, shutdown := context.WithCancel(context.Background())
	a.Start(ctxA, job.ID)
	// Shut down once some targets ran and at least two wait for a token (or,
	// should the machine be too slow for the rate to bind, at half-way).
	tokens := a.c.Limits.of("UserUpdate").lim
	waitUntil(t, 30*time.Second, func() bool {
		ran := len(w.auditCounts(job))
		return ran >= 3 && tokens.Tokens() < -1 || ran >= 10
	}, func() string { return "the job did not start" })
	shutdown()
	a.Wait()
	if len(w.rep.finished) != 0 {
		t.Fatal("a runner that was shut down closed the job")
	}
	b := w.runner("B", w.dir, nil, nil, 1000)
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()
	go b.Loop(ctxB)
	w.rep.wait(t)
	stopB()
	b.Wait()
	if p := w.rep.finished[0]; p.Done != 20 || p.Failed != 0 {
		t.Fatalf("final progress %+v; want all 20 done, none failed by the shutdown", p)
	}
	for i, n := range w.auditCounts(job) {
		if n != 1 {
			t.Errorf("target %d audited %d times; want once", i, n)
		}
	}
}

// brokenClaims is a state store that cannot claim targets from its failAt-th
// claim on, until the test mends it.
type brokenClaims struct {
	Store
	claims, refused atomic.Int64
	failAt          int64
	broken          atomic.Bool
}

func (b *brokenClaims) ClaimTarget(ctx context.Context, jobID string, i int, owner string) (audit.JobTarget, error) {
	if b.claims.Add(1) == b.failAt {
		b.broken.Store(true)
	}
	if b.broken.Load() {
		b.refused.Add(1)
		return audit.JobTarget{}, errors.New("state table unavailable")
	}
	return b.Store.ClaimTarget(ctx, jobID, i, owner)
}

// With the state store failing mid-job, no target is reported "not run" by a
// job closed as finished: the job waits and ends with every target done.
func TestStateStoreDownMidJobPausesTheJob(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 20, 0)
	w.lease = shortTestLease // one runner at a time
	job := w.startJob("disable", 20)
	store := &brokenClaims{Store: w.store, failAt: 8}
	r := w.runner("A", w.dir, nil, store, 1000)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go r.Loop(ctx)
	waitUntil(t, 20*time.Second, func() bool { return store.refused.Load() > 13 }, func() string {
		return fmt.Sprintf("only %d claims refused; the job should keep trying while the store is down", store.refused.Load())
	})
	if got, _ := w.store.GetJob(ctx, job.ID); got.State != audit.JobRunning {
		t.Fatalf("job %s while the state store is down; want RUNNING, waiting", got.State)
	}
	store.broken.Store(false)
	w.rep.wait(t)
	stop()
	r.Wait()
	if p := w.rep.finished[0]; p.Done != 20 {
		t.Fatalf("final progress %+v; want all 20 done", p)
	}
}

// settleFailsOnce is a state store that cannot settle target failAt the first
// time it is asked to.
type settleFailsOnce struct {
	Store
	failAt int
	failed atomic.Bool
}

func (s *settleFailsOnce) SettleTarget(ctx context.Context, jobID string, i int, owner string, to audit.TargetState, note string) (audit.JobTarget, error) {
	if i == s.failAt && s.failed.CompareAndSwap(false, true) {
		return audit.JobTarget{}, errors.New("state table unavailable")
	}
	return s.Store.SettleTarget(ctx, jobID, i, owner, to, note)
}

// A target that ran but could not be settled pauses the job; cancelled while
// paused, the job still reports that target done, as its audit entry says,
// not "not run".
func TestTargetRunBeforeAPauseIsReportedDoneAfterACancel(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 10, 0)
	w.lease = shortTestLease // one runner at a time
	job := w.startJob("disable", 10)
	store := &settleFailsOnce{Store: w.store, failAt: 3}
	r := w.runnerN("A", w.dir, nil, store, 1000, 1)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	r.Start(ctx, job.ID)
	r.Wait() // the turn pauses at target 3
	if !store.failed.Load() {
		t.Fatal("the settle of target 3 never failed")
	}
	if _, err := w.store.CancelJob(ctx, job.ID, audit.Actor{UserID: "U1", TeamID: "T1"}); err != nil {
		t.Fatal(err)
	}
	go r.Loop(ctx)
	w.rep.wait(t)
	stop()
	r.Wait()
	if row := w.rep.rows[3]; row.Outcome != OutcomeDone {
		t.Errorf("target 3 ran (its audit entry says ok) but is reported %q", row.Outcome)
	}
	disabled := 0
	for i := range 10 {
		if u, _ := w.dir.GetUser(underIntent(context.Background()), poolID, fmt.Sprintf("u%03d", i)); !u.Enabled {
			disabled++
		}
	}
	if p := w.rep.finished[0]; p.Done != disabled {
		t.Errorf("%d users disabled, the results say %d done", disabled, p.Done)
	}
}

// gatedDisable is a directory whose disables wait at a gate the test opens.
type gatedDisable struct {
	pipeline.Directory
	inFlight atomic.Int64
	gate     chan struct{}
}

func (g *gatedDisable) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	g.inFlight.Add(1)
	<-g.gate
	return g.Directory.DisableUser(ctx, pool, username)
}

// While a stopping runner's targets are still in flight, it keeps the job's
// lease: another replica does not take the job over and call those targets
// unknown while their Cognito calls are still under way.
func TestStoppingRunnerKeepsTheLeaseUntilItsTargetsFinish(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 12, 0)
	// The lease lapses only when the test moves the clock past it, however
	// slow the machine; the heartbeats come often in real time.
	w.lease, w.heartbeat = 10*time.Second, 10*time.Millisecond
	job := w.startJob("disable", 12)
	gated := &gatedDisable{Directory: w.dir, gate: make(chan struct{})}
	a := w.runnerN("A", gated, nil, nil, 1000, 4)
	ctxA, shutdown := context.WithCancel(context.Background())
	a.Start(ctxA, job.ID)
	waitUntil(t, 30*time.Second, func() bool { return gated.inFlight.Load() >= 4 }, func() string { return "the targets never reached Cognito" })
	shutdown()
	bStore := &watchedStore{Store: w.store}
	b := w.runner("B", w.dir, nil, bStore, 1000)
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()
	go b.Loop(ctxB)
	// Half a lease passes three times: unrenewed, the lease A held at the
	// shutdown is over by the second. After each, A must have renewed it.
	for range 3 {
		w.clock.advance(w.lease / 2)
		stepped := w.clock.Now()
		waitUntil(t, 20*time.Second, func() bool {
			j, _ := w.store.GetJob(context.Background(), job.ID)
			return j.Owner != "A" || !j.LeaseUntil.Before(stepped.Add(w.lease*3/4))
		}, func() string { return "A stopped renewing the job's lease while its targets were in flight" })
	}
	// B looks for jobs to take over twice after that: the first look would
	// find the job had A stopped renewing, the second follows the first's
	// attempt to take it.
	lapsed := w.clock.Now()
	waitUntil(t, 30*time.Second, func() bool { return bStore.pollsAfter(lapsed) >= 2 }, func() string { return "B did not look for jobs" })
	if j, _ := w.store.GetJob(context.Background(), job.ID); j.Owner != "A" {
		t.Errorf("job owned by %q while A's targets are in flight; want A to keep the lease", j.Owner)
	}
	if n := bStore.acquired.Load(); n != 0 {
		t.Errorf("B took the job's lease %d time(s) while A's targets were in flight", n)
	}
	close(gated.gate)
	a.Wait()
	w.clock.advance(w.lease) // A has stopped: its lease lapses and B resumes the job
	w.rep.wait(t)
	stopB()
	b.Wait()
	if p := w.rep.finished[0]; p.Done != 12 || p.Failed != 0 {
		t.Fatalf("final progress %+v; want all 12 done, none unknown", p)
	}
}

// watchedStore is a state store that notes when its runner looked for jobs
// to run and how many leases it took or renewed.
type watchedStore struct {
	Store
	mu       sync.Mutex
	polls    []time.Time
	acquired atomic.Int64
}

func (s *watchedStore) JobsToRun(ctx context.Context, now time.Time, limit int) ([]audit.Job, error) {
	s.mu.Lock()
	s.polls = append(s.polls, now)
	s.mu.Unlock()
	return s.Store.JobsToRun(ctx, now, limit)
}

func (s *watchedStore) AcquireJob(ctx context.Context, id, owner string, lease time.Duration) (audit.Job, error) {
	j, err := s.Store.AcquireJob(ctx, id, owner, lease)
	if err == nil {
		s.acquired.Add(1)
	}
	return j, err
}

// pollsAfter counts the looks for jobs to run made at a time after t.
func (s *watchedStore) pollsAfter(t time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.polls {
		if p.After(t) {
			n++
		}
	}
	return n
}

// waitUntil polls done until it holds, failing the test with why() if it has
// not within limit.
func waitUntil(t *testing.T, limit time.Duration, done func() bool, why func() string) {
	t.Helper()
	for deadline := time.Now().Add(limit); !done(); {
		if time.Now().After(deadline) {
			t.Fatal(why())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// dyingInvites is replica A whose process dies right after Cognito answered
// its crashAt-th invitation.
type dyingInvites struct{ *dying }

func (d dyingInvites) ResendInvitation(ctx context.Context, pool, username string) (cognito.Result, error) {
	if d.dead.Load() {
		return cognito.Result{}, errDead
	}
	res, err := d.Directory.ResendInvitation(ctx, pool, username)
	if d.calls.Add(1) == d.crashAt {
		d.dead.Store(true)
		d.kill()
	}
	return res, err
}

// An invitation cannot be read back and a second one replaces the first
// temporary password: the target in flight at the crash stays "outcome
// unknown" and is never sent twice; every other one is done.
func TestTakeOverLeavesAnInvitationInFlightUnknownAndNeverResendsIt(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0, 0)
	w.lease = shortTestLease // one runner at a time
	for i := range 10 {
		if err := w.dir.Seed(poolID, memdir.SeedUser{Username: fmt.Sprintf("u%03d", i), Status: "FORCE_CHANGE_PASSWORD",
			Email: fmt.Sprintf("u%03d@example.com", i)}); err != nil {
			t.Fatal(err)
		}
	}
	job := w.startJob("resend-invite", 10)
	counted := &inviteCounter{Directory: w.dir, calls: map[string]int{}}
	ctxA, kill := context.WithCancel(context.Background())
	a := dyingInvites{&dying{Directory: counted, AuditLog: w.log, Store: w.store, crashAt: 4, kill: kill}}
	ra := w.runnerN("A", a, a, a, 1000, 1)
	ra.Start(ctxA, job.ID)
	ra.Wait()
	rb := w.runnerN("B", counted, nil, nil, 1000, 1)
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()
	go rb.Loop(ctxB)
	w.rep.wait(t)
	stopB()
	rb.Wait()
	if p := w.rep.finished[0]; p.Done != 9 || p.Failed != 1 {
		t.Fatalf("final progress %+v; want 9 done and the one in flight unknown", p)
	}
	if row := w.rep.rows[3]; row.Outcome != OutcomeFailed || !strings.HasPrefix(row.Error, pipeline.UnknownOutcome) {
		t.Errorf("the target in flight at the crash: %+v; want failed as outcome unknown", row)
	}
	for i := range 10 {
		if n := counted.calls[fmt.Sprintf("u%03d", i)]; n != 1 {
			t.Errorf("u%03d invited %d times; want exactly once", i, n)
		}
	}
}

// inviteCounter counts the successful invitations of each user.
type inviteCounter struct {
	pipeline.Directory
	mu    sync.Mutex
	calls map[string]int
}

func (d *inviteCounter) ResendInvitation(ctx context.Context, pool, username string) (cognito.Result, error) {
	res, err := d.Directory.ResendInvitation(ctx, pool, username)
	if err == nil {
		d.mu.Lock()
		d.calls[username]++
		d.mu.Unlock()
	}
	return res, err
}

// underIntent is ctx under an audit intent for the test's own arranging and
// checking: the directory refuses every call without one.
func underIntent(ctx context.Context) context.Context {
	ctx, _ = cognito.OpenIntent(ctx, "test#fixture")
	return ctx
}
