package bulk

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// minRate is the floor AIMD backs off to, so a throttled job keeps moving.
const minRate = 0.5

// aimd is one quota category's job limiter: additive increase on success,
// multiplicative decrease on throttling, between minRate and ceiling.
type aimd struct {
	lim     *rate.Limiter
	mu      sync.Mutex
	ceiling float64
	// whole is the ceiling with the deployment's whole budget; budget, when
	// set, gives this replica's part of it (ceiling = whole × part).
	whole, part float64
	budget      quota.Budget
	// category and onWait report each wait, for the metrics.
	category string
	onWait   func(category string, waited time.Duration)
}

func newAIMD(ceiling float64) *aimd {
	ceiling = max(ceiling, minRate)
	return &aimd{lim: rate.NewLimiter(rate.Limit(ceiling), 1), ceiling: ceiling, whole: ceiling, part: 1}
}

// follow rescales the ceiling, and the rate with it, to this replica's part
// of the budget when it changed.
func (a *aimd) follow() {
	if a.budget == nil {
		return
	}
	f := a.budget.Fraction()
	if f <= 0 || f > 1 {
		f = 1
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if f == a.part {
		return
	}
	cur := float64(a.lim.Limit())
	a.ceiling = max(a.whole*f, minRate)
	a.lim.SetLimit(rate.Limit(max(minRate, min(a.ceiling, cur*f/a.part))))
	a.part = f
}

func (a *aimd) wait(ctx context.Context) error {
	a.follow()
	start := time.Now()
	if a.budget != nil && a.lim.Tokens() < 1 {
		quota.Wanted(a.budget) // a target waits: ask the other replicas for more
	}
	err := a.lim.Wait(ctx)
	if a.onWait != nil {
		a.onWait(a.category, time.Since(start))
	}
	return err
}

// throttled halves the rate.
func (a *aimd) throttled() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lim.SetLimit(rate.Limit(max(minRate, float64(a.lim.Limit())/2)))
}

// succeeded adds a twentieth of the ceiling back.
func (a *aimd) succeeded() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if cur := float64(a.lim.Limit()); cur < a.ceiling {
		a.lim.SetLimit(rate.Limit(min(a.ceiling, cur+a.ceiling/20)))
	}
}

func (a *aimd) rate() float64 { return float64(a.lim.Limit()) }

// Limits are the job limiters of one replica, one per quota category (by the
// quota.Quotas field name the action table uses), shared by its jobs.
type Limits struct {
	byCategory map[string]*aimd
	// pause is the first pause after a throttled call; 0 means
	// DefaultThrottlePause.
	pause time.Duration
}

// NewLimits builds the limiters at (1 − reserve) of each configured rate;
// reserve is the share of every quota left to interactive commands. onWait,
// when given and not nil, is told how long each call waited for its
// category's limiter, so a job slowed by its own pacing shows on a dashboard.
func NewLimits(q config.Quotas, reserve float64, onWait ...func(category string, waited time.Duration)) *Limits {
	if reserve < 0 || reserve >= 1 {
		reserve = 0
	}
	share := 1 - reserve
	l := &Limits{byCategory: map[string]*aimd{
		"UserRead":             newAIMD(q.UserRead * share),
		"UserList":             newAIMD(q.UserList * share),
		"UserCreation":         newAIMD(q.UserCreation * share),
		"UserUpdate":           newAIMD(q.UserUpdate * share),
		"UserAccountRecovery":  newAIMD(q.UserAccountRecovery * share),
		"UserResourceRead":     newAIMD(q.UserResourceRead * share),
		"UserResourceUpdate":   newAIMD(q.UserResourceUpdate * share),
		"UserPoolRead":         newAIMD(q.UserPoolRead * share),
		"UserPoolResourceRead": newAIMD(q.UserPoolResourceRead * share),
	}}
	for name, a := range l.byCategory {
		a.category = name
		for _, f := range onWait {
			a.onWait = f
		}
	}
	return l
}

// of returns the category's limiter; an unknown category (a table entry without
// Quota) is limited like UserUpdate, the strictest write quota.
func (l *Limits) of(category string) *aimd {
	if a, ok := l.byCategory[category]; ok {
		return a
	}
	return l.byCategory["UserUpdate"]
}

// SharedBy makes the limits this replica's part of the deployment's budget
// (see quota.Budget): each category's ceiling is its configured rate ×
// (1 − reserve) × b.Fraction(), followed at every wait. It returns l.
func (l *Limits) SharedBy(b quota.Budget) *Limits {
	for _, a := range l.byCategory {
		a.budget = b
	}
	return l
}

// ThrottlePause sets the first pause after a throttled call (see call),
// DefaultThrottlePause unless set. Production keeps the default; a test of
// throttling shortens it rather than wait a tenth of a second per retry. It
// returns l.
func (l *Limits) ThrottlePause(first time.Duration) *Limits {
	l.pause = first
	return l
}

func (l *Limits) throttlePause() time.Duration {
	if l.pause <= 0 {
		return DefaultThrottlePause
	}
	return l.pause
}

// Rate is the category's current job rate, in requests per second.
func (l *Limits) Rate(category string) float64 {
	a := l.of(category)
	a.follow()
	return a.rate()
}

// Call runs one Cognito call of category under the job limits (the interactive
// reserve kept, AIMD on throttling), for long work that is not a job, such as
// an export.
func (l *Limits) Call(ctx context.Context, category string, fn func() error) error {
	return l.call(ctx, category, fn)
}
