package bulk

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/state"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
)

// Store is the job half of the state store (state.Store and state.MemoryStore).
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
	_ Store = (*state.Store)(nil)
	_ Store = (*state.MemoryStore)(nil)
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
	// Whole returns the op of a job done as one piece (an export), nil for
	// a job of targets; nil means every job is one of targets.
	Whole func(job audit.Job) WholeOp
	// MaxWhole is how many whole jobs this replica runs at once
	// (MaxWholeDefault); more wait for a replica with room.
	MaxWhole int
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
