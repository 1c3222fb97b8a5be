package bulk

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// maxAttempts bounds the tries of one throttled call before the target fails.
const maxAttempts = 12

// DefaultThrottlePause is the first pause after a throttled call, and
// maxThrottlePause the longest: a tenth of a second lets Cognito's token
// bucket refill a little before the retry, and the doubling spreads retries
// out when throttling persists.
const (
	DefaultThrottlePause = 100 * time.Millisecond
	maxThrottlePause     = 5 * time.Second
)

// TargetOp is the Cognito work for one target. It returns skip != "" when the
// target needed nothing (already disabled); the pipeline records that as the
// step's summary. call wraps each Cognito call with the category's job limiter
// and the throttling back-off.
type TargetOp func(ctx context.Context, s pipeline.Services, call Caller, job audit.Job, t audit.JobTarget) (res pipeline.Result, skip string, err error)

// Caller runs one Cognito call of a quota category under the job limits; a
// nil fn only takes the category's token, for an operation that makes more
// than one call of it (spec.QuotaCalls).
type Caller func(ctx context.Context, category string, fn func() error) error

// call waits for the category's token and runs fn, retrying it on throttling
// with the rate halved and a pause (from Limits.ThrottlePause, doubling up to
// maxThrottlePause), up to maxAttempts.
func (l *Limits) call(ctx context.Context, category string, fn func() error) error {
	return l.run(ctx, category, fn, false)
}

// run is call whose first token may already be paid (taken before the
// target's intent was written); retries after throttling wait again.
func (l *Limits) run(ctx context.Context, category string, fn func() error, paid bool) error {
	lim := l.of(category)
	pause := l.throttlePause()
	for attempt := 1; ; attempt++ {
		if !paid || attempt > 1 {
			if err := lim.wait(ctx); err != nil {
				return fmt.Errorf("waiting for the %s rate limit: %w", category, err)
			}
		}
		if fn == nil {
			return nil
		}
		err := fn()
		if !errors.Is(err, cognito.ErrThrottled) {
			if err == nil {
				lim.succeeded()
			}
			return err
		}
		lim.throttled()
		if attempt >= maxAttempts {
			return err
		}
		jitter := time.Duration(rand.Int64N(int64(pause)))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause/2 + jitter):
		}
		pause = min(2*pause, maxThrottlePause)
	}
}

// Guard prepares, once per turn of a job and outside any operation (it may
// look things up), the policy's word on the job's action on one user as they
// are now: "" to go ahead, else why the job leaves them alone (a protected
// group's member is changed only by their own request, which needs
// approval). The returned check waits on nothing. Nil: none.
type Guard func(ctx context.Context, job audit.Job) func(u cognito.User) string

// SkipReason is why a job leaves u as it is, or "": the action would change
// nothing (spec.Unchanged) or does not apply to the user's state
// (spec.Applies, as for the same action on one user). Both are declared with
// the action in the table.
func SkipReason(spec actions.Spec, u cognito.User, args map[string]string) string {
	if spec.Unchanged != nil {
		if why := spec.Unchanged(u, args); why != "" {
			return why
		}
	}
	if spec.Applies != nil {
		if why := spec.Applies(u, args); why != "" {
			return why
		}
	}
	return ""
}

// ActionOp is the target work of any single-user action of the table: read the
// user exactly (same username and sub as at the dry run), skip it when the
// action would change nothing, else call the table's Op with the job's args.
//
// guard is asked here, on the user as they are now: someone who joined a
// protected group after the dry run is skipped.
func ActionOp(spec actions.Spec, check func(cognito.User) string) TargetOp {
	return func(ctx context.Context, s pipeline.Services, call Caller, job audit.Job, t audit.JobTarget) (pipeline.Result, string, error) {
		u, res, err := readTarget(ctx, s, call, job, t)
		if err != nil {
			return res, "", err
		}
		return act(ctx, s, call, spec, check, job, u)
	}
}

// readTarget reads a target's user exactly: the same username and sub as at
// the dry run.
func readTarget(ctx context.Context, s pipeline.Services, call Caller, job audit.Job, t audit.JobTarget) (*cognito.User, pipeline.Result, error) {
	var u *cognito.User
	err := call(ctx, "UserRead", func() (err error) {
		u, err = s.Users.GetUser(ctx, job.PoolID, t.Username)
		return err
	})
	if err != nil {
		return nil, pipeline.Result{RequestID: cognito.RequestID(err)}, err
	}
	if u.Username != t.Username || (t.Sub != "" && u.Sub != t.Sub) {
		return nil, pipeline.Result{}, errors.New("target changed: this is no longer the user of the dry run (deleted and re-created?)")
	}
	return u, pipeline.Result{}, nil
}

// act runs the table's Op on u unless the job should leave u alone (the
// action changes nothing, or check — the policy's guard — says to skip u).
func act(ctx context.Context, s pipeline.Services, call Caller, spec actions.Spec, check func(cognito.User) string, job audit.Job, u *cognito.User) (pipeline.Result, string, error) {
	resolved := &audit.Target{Pool: job.PoolID, Username: u.Username, Sub: u.Sub}
	why := SkipReason(spec, *u, job.Args)
	if why == "" && check != nil {
		why = check(*u)
	}
	if why != "" {
		return pipeline.Result{Summary: "Skipped " + u.Username + ": " + why, Resolved: resolved}, why, nil
	}
	for range spec.QuotaCallsPerRun() - 1 { // the Op's further calls of the category
		if err := call(ctx, spec.Quota, nil); err != nil {
			return pipeline.Result{}, "", err
		}
	}
	var res cognito.Result
	err := call(ctx, spec.Quota, func() (err error) {
		res, err = spec.Op(s.Users, ctx, job.PoolID, u.Username, job.Args)
		return err
	})
	if err != nil {
		return pipeline.Result{RequestID: cognito.RequestID(err)}, "", err
	}
	return pipeline.Result{Summary: spec.Done + " " + u.Username, RequestID: res.RequestID, Resolved: resolved}, "", nil
}
