package bulk

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// runTarget runs a target this turn has claimed through the pipeline and
// settles it with what happened.
func (t *turn) runTarget(ctx context.Context, target audit.JobTarget) {
	t.attempt(ctx, target, auditid.ForJobTarget(t.job.ID, target.Index), "")
}

// attempt makes one audited attempt at a target under audit id id: its rate
// tokens first, then its intent, its calls and its outcome. abandoned, when
// not "", is the open intent of an earlier attempt whose runner stopped: this
// attempt reads the user back first (JobOp.Resume) and then closes it.
func (t *turn) attempt(ctx context.Context, target audit.JobTarget, id, abandoned string) {
	job := t.job
	// The tokens are taken before the intent is written: a runner that stops
	// while waiting for them leaves no intent, so its target simply runs
	// again, instead of waiting behind an intent that called nothing.
	purse, err := t.r.c.Limits.prepay(ctx, t.op.Tokens(job, target))
	if err != nil {
		t.log.Info("stopped waiting for a target's rate tokens; it runs later", zap.Int("target", target.Index), zap.Error(err))
		t.pauseFor("stopped while waiting for the rate limit")
		return
	}
	if abandoned == "" && t.hb.cancelled.Load() {
		return // cancelled while it waited: it never started
	}
	phase := pipeline.Phase("bulk")
	params := map[string]string{"job": job.ID, "pool_name": job.Pool, "target": strconv.Itoa(target.Index)}
	for k, v := range job.Args {
		params["arg."+k] = v
	}
	if abandoned != "" {
		phase, params["resumes"] = "resume", abandoned
	}
	var skip string
	var reached bool
	step := pipeline.Step{
		AuditID: id, Action: job.Action, Pool: job.Pool, Phase: phase,
		Target: audit.Target{Pool: job.PoolID, Username: firstNonEmpty(target.Username, target.Input), Sub: target.Sub},
		Params: params, Reason: job.Reason, ApprovalID: ApprovalID(job),
		Policy: &policy.Request{Job: &policy.Job{Target: true}, AddGroups: importGroups(target)},
		Op: func(ctx context.Context, s pipeline.Services) (res pipeline.Result, err error) {
			res, skip, err = t.runOp(target, func() (pipeline.Result, string, error) {
				if abandoned != "" {
					res, was, skip, err := t.op.Resume(ctx, s, purse.call, job, target)
					reached = was
					return res, skip, err
				}
				return t.op.Run(ctx, s, purse.call, job, target)
			})
			return res, err
		},
	}
	req := pipeline.Request{Actor: job.Requester, Channel: job.Channel, EnvelopeID: "job#" + job.ID}
	out := t.r.c.Pipeline.Do(ctx, req, step)
	if abandoned != "" && !out.Duplicate && !errors.Is(out.Err, pipeline.ErrAuditUnavailable) {
		t.closeAbandoned(ctx, target, abandoned, id, out, reached)
	}
	state, note := audit.TargetDone, ""
	switch {
	case out.Duplicate:
		// Another attempt wrote this intent first; its entry says what happened.
		t.settleFrom(ctx, target, id)
		return
	case out.Denied != "":
		state, note = audit.TargetFailed, "denied: "+out.Denied
	case errors.Is(out.Err, pipeline.ErrAuditUnavailable):
		t.log.Warn("audit log unavailable; target left for a retry", zap.Int("target", target.Index))
		t.pauseFor("audit log unavailable")
		return
	case out.Err != nil:
		state, note = audit.TargetFailed, out.Err.Error()
	case skip != "":
		state, note = audit.TargetSkipped, skip
	}
	t.settle(ctx, target, state, note)
}

// closeAbandoned gives the earlier attempt's open intent the outcome the read
// back showed: done when the user was found in the wanted state; otherwise it
// was run again under id, and what the earlier call did is said as known.
func (t *turn) closeAbandoned(ctx context.Context, target audit.JobTarget, abandoned, id string, out pipeline.Outcome, reached bool) {
	spec, _ := actions.Get(actions.Action(t.job.Action))
	var err error
	switch {
	case reached:
		_, err = t.r.c.Pipeline.CloseSettled(ctx, abandoned, audit.OutcomeOK,
			"Its runner stopped; the user read back shows it done (see "+id+")")
	case spec.Reached != nil && out.Denied == "" && out.Err == nil:
		_, err = t.r.c.Pipeline.CloseSettled(ctx, abandoned, audit.OutcomeError,
			"Not done: its runner stopped before the call took effect (read back); run again as "+id)
	default:
		_, err = t.r.c.Pipeline.CloseAbandoned(ctx, abandoned, "the runner stopped during this target; settled by "+id)
	}
	if err != nil {
		t.log.Warn("closing an abandoned intent", zap.Int("target", target.Index), zap.Error(err))
	}
}

func (t *turn) settle(ctx context.Context, target audit.JobTarget, state audit.TargetState, note string) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	settled, err := t.r.c.Store.SettleTarget(sctx, t.job.ID, target.Index, t.r.c.Owner, state, note)
	if err != nil {
		// Its audit entry holds the outcome; the runner that resumes the
		// job settles it from there.
		t.log.Warn("settling a target", zap.Int("target", target.Index), zap.Error(err))
		t.pauseFor("state store unavailable")
		return
	}
	t.mu.Lock()
	t.settled++
	t.mu.Unlock()
	t.record(settled)
}

// recover handles a target claimed and never settled (by another runner, or
// by this one before a pause). The audit entry of its last attempt tells: none
// means it never ran, so it runs now; a finished one gives its outcome; an
// open one is settled by reading the user back (settleFrom).
func (t *turn) recover(ctx context.Context, target audit.JobTarget) {
	previous := target.Owner
	if previous != t.r.c.Owner {
		taken, err := t.r.c.Store.TakeTarget(ctx, t.job.ID, target.Index, previous, t.r.c.Owner)
		var lost *audit.TargetError
		if errors.As(err, &lost) && lost.Current.State.Final() {
			t.record(lost.Current)
			return
		}
		if err != nil {
			t.log.Warn("taking over a target", zap.Int("target", target.Index), zap.Error(err))
			t.pauseFor("state store unavailable")
			return
		}
		target = taken
	}
	// A runner's own attempt at resuming is under ForJobTargetResume; the first
	// attempt of all under ForJobTarget.
	for _, id := range []string{auditid.ForJobTargetResume(t.job.ID, target.Index, previous), auditid.ForJobTarget(t.job.ID, target.Index)} {
		written, err := t.r.c.Pipeline.IntentWritten(ctx, id)
		if err != nil {
			t.log.Warn("reading a target's audit entry", zap.Int("target", target.Index), zap.Error(err))
			t.pauseFor("audit log unavailable")
			return
		}
		if written {
			t.settleFrom(ctx, target, id)
			return
		}
	}
	if !t.hb.cancelled.Load() {
		t.runTarget(ctx, target)
	}
}

// settleFrom settles a target from the audit entry id of its last attempt. An
// entry left open by a runner that stopped is resumed under this runner's own
// id when the action can be read back or safely repeated; only one that can
// be neither stays "outcome unknown".
func (t *turn) settleFrom(ctx context.Context, target audit.JobTarget, id string) {
	e, err := t.r.c.Entries.Get(ctx, id)
	if err != nil {
		t.log.Warn("reading a target's audit entry", zap.Int("target", target.Index), zap.Error(err))
		t.pauseFor("audit log unavailable")
		return
	}
	switch e.Outcome {
	case audit.OutcomeOK:
		if why, ok := strings.CutPrefix(e.Message, "Skipped "); ok {
			_, reason, _ := strings.Cut(why, ": ")
			t.settle(ctx, target, audit.TargetSkipped, reason)
			return
		}
		t.settle(ctx, target, audit.TargetDone, "")
		return
	case audit.OutcomeError:
		t.settle(ctx, target, audit.TargetFailed, e.Message)
		return
	}
	if again := auditid.ForJobTargetResume(t.job.ID, target.Index, t.r.c.Owner); t.op.Resume != nil && again != id {
		t.attempt(ctx, target, again, id)
		return
	}
	if _, err := t.r.c.Pipeline.CloseAbandoned(ctx, id, "the runner stopped during this target"); err != nil {
		t.log.Warn("closing an abandoned intent", zap.Int("target", target.Index), zap.Error(err))
	}
	t.settle(ctx, target, audit.TargetFailed, pipeline.UnknownOutcome+": the runner stopped during this target")
}
