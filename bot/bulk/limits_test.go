package bulk

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func TestThrottlingHalvesTheRateAndSuccessesRestoreIt(t *testing.T) {
	t.Parallel()
	// 200/s configured, 160/s for jobs: the halved rates' waits stay short.
	l := NewLimits(fastQuotas(200), 0.2).ThrottlePause(time.Millisecond)
	if got := l.Rate("UserUpdate"); got != 160 {
		t.Fatalf("job rate %v; want 160 (200 less the 20 %% interactive reserve)", got)
	}
	tries := 0
	err := l.call(context.Background(), "UserUpdate", func() error {
		tries++
		if tries <= 2 {
			return fmt.Errorf("x: %w", cognito.ErrThrottled)
		}
		return nil
	})
	if err != nil || tries != 3 {
		t.Fatalf("call = %v after %d tries; want success on the third", err, tries)
	}
	if got := l.Rate("UserUpdate"); got != 40+8 {
		t.Fatalf("rate after two throttles and a success %v; want 160/2/2 + 160/20", got)
	}
	for range 20 {
		l.of("UserUpdate").succeeded()
	}
	if got := l.Rate("UserUpdate"); got != 160 {
		t.Fatalf("rate after recovery %v; want back at the 160 ceiling", got)
	}
}

// Every quota category the action table names has a job limiter of its own:
// an action falling back to another category's limiter would be paced and
// estimated at the wrong rate (reset-mfa spends UserResourceUpdate).
func TestEveryTableQuotaHasAJobLimiter(t *testing.T) {
	t.Parallel()
	l := NewLimits(fastQuotas(1), 0)
	for _, s := range actions.All() {
		if _, ok := l.byCategory[s.Quota]; s.Quota != "" && !ok {
			t.Errorf("%s spends %s, which has no job limiter", s.Action, s.Quota)
		}
	}
}

// A bulk suspend takes two UserUpdate tokens per user, one for each of its
// calls (disable, sign-out), so a job paces and estimates it at half the rate.
func TestSuspendTakesATokenPerCall(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 1, 0)
	spec, _ := actions.Get(actions.Suspend)
	u, err := w.dir.GetUser(underIntent(context.Background()), poolID, "u000")
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]int{}
	count := func(ctx context.Context, category string, fn func() error) error {
		tokens[category]++
		if fn == nil {
			return nil
		}
		return fn()
	}
	job := audit.Job{PoolID: poolID, Action: actions.Suspend}
	if _, _, err := ActionOp(spec, nil)(underIntent(context.Background()), pipeline.Services{Users: w.dir}, count, job,
		audit.JobTarget{Username: u.Username, Sub: u.Sub}); err != nil {
		t.Fatal(err)
	}
	if tokens["UserUpdate"] != 2 {
		t.Errorf("suspend took %d UserUpdate tokens; want 2", tokens["UserUpdate"])
	}
}

// Waits for a job limiter are reported, so a job slowed by its pacing (or by
// AIMD after throttling) shows on a dashboard.
func TestJobLimiterWaitsAreReported(t *testing.T) {
	t.Parallel()
	var waits []string
	l := NewLimits(fastQuotas(200), 0, func(category string, waited time.Duration) {
		if waited > 0 {
			waits = append(waits, category)
		}
	})
	// At 200/s a call right after another waits for its token; ten calls
	// in a row find one to wait however slow the machine.
	for i := 0; i < 10 && len(waits) == 0; i++ {
		if err := l.call(context.Background(), "UserUpdate", func() error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if len(waits) == 0 || waits[0] != "UserUpdate" {
		t.Errorf("waits reported %v; want UserUpdate's (200/s: the later calls wait)", waits)
	}
}

// shareOf is a replica's part of the deployment's budget, set by the test.
type shareOf struct{ f atomic.Value }

func (s *shareOf) Fraction() float64 { return s.f.Load().(float64) }

// The job limits are the replica's part of the deployment's budget, with the
// interactive reserve kept inside it: two replicas each run jobs at half, and
// the survivor at the whole once the other is gone.
func TestJobLimitsFollowTheReplicasPartOfTheBudget(t *testing.T) {
	t.Parallel()
	share := &shareOf{}
	share.f.Store(0.5)
	l := NewLimits(fastQuotas(20), 0.2).SharedBy(share)
	if got := l.Rate("UserUpdate"); got != 8 {
		t.Errorf("half the budget: job rate %v; want 20 × 0.8 × 0.5 = 8", got)
	}
	share.f.Store(1.0)
	if got := l.Rate("UserUpdate"); got != 16 {
		t.Errorf("the whole budget: job rate %v; want 20 × 0.8 = 16", got)
	}
}

// wantingShare is a shareOf that counts the waits it is told of.
type wantingShare struct {
	shareOf
	wants atomic.Int64
}

func (s *wantingShare) Want() { s.wants.Add(1) }

// A job whose next target has to wait for the replica's part says so, so the
// budget is lent to this replica by the idle ones (internal/budget); the job
// limits sit below the Cognito limiters, which alone would never see the wait.
func TestAJobTargetThatWaitsAsksForMoreBudget(t *testing.T) {
	t.Parallel()
	share := &wantingShare{}
	share.f.Store(1.0)
	l := NewLimits(fastQuotas(250), 0.2).SharedBy(share)
	ctx := context.Background()
	if err := l.Call(ctx, "UserUpdate", nil); err != nil {
		t.Fatal(err)
	}
	if n := share.wants.Load(); n != 0 {
		t.Fatalf("a target with a token at hand asked for more budget %d times", n)
	}
	// At 200/s a call right after another waits for its token; ten calls
	// in a row find one to wait however slow the machine.
	for i := 0; i < 10 && share.wants.Load() == 0; i++ {
		if err := l.Call(ctx, "UserUpdate", nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := share.wants.Load(); n == 0 {
		t.Fatal("targets that waited for their token never asked for more budget")
	}
}
