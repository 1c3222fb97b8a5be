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
)

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
	row := Row{Username: firstNonEmpty(target.Username, target.Input), Sub: target.Sub, Action: string(t.job.Action), Error: ""}
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
