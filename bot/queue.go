package bot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// workQueue takes acked envelopes on and hands them to a fixed set of workers.
// It is bounded, so a burst cannot grow memory without limit, and it admits each
// person at a bounded rate, so one person's flood fills neither the queue nor the
// workers: everyone else's commands are taken on as if the flood were not there.
type workQueue struct {
	cfg  queueConfig
	jobs chan job

	mu    sync.Mutex
	users map[string]*userBudget
	swept time.Time
}

type queueConfig struct {
	workers, size int
	rate          float64
	burst         int
	now           func() time.Time
}

// job is one envelope's work.
type job struct {
	req *request
	run func(ctx context.Context)
}

// userBudget is one person's admission rate, and when they were last told to
// slow down (so a flood gets one warning, not one per envelope).
type userBudget struct {
	limiter *rate.Limiter
	warned  time.Time
	seen    time.Time
}

// idleBudget is how long an idle person's budget is kept.
const idleBudget = 10 * time.Minute

// warnEvery spaces the "slow down" answers to one person.
const warnEvery = 10 * time.Second

func newWorkQueue(c queueConfig) *workQueue {
	return &workQueue{cfg: c, jobs: make(chan job, c.size), users: map[string]*userBudget{}}
}

// admission is what became of an envelope offered to the queue.
type admission int

const (
	admitted admission = iota
	// throttled: the person is over their rate; warn says whether to tell them.
	throttled
	// full: the queue is full.
	full
)

// offer queues j unless its person is over their rate or the queue is full. It
// never blocks: the event loop that acks envelopes calls it.
func (q *workQueue) offer(j job) (admission, bool) {
	if ok, warn := q.allow(j.req.Actor.TeamID + "/" + j.req.Actor.UserID); !ok {
		return throttled, warn
	}
	select {
	case q.jobs <- j:
		return admitted, false
	default:
		return full, true
	}
}

// allow spends one of the person's tokens.
func (q *workQueue) allow(key string) (ok, warn bool) {
	now := q.cfg.now()
	q.mu.Lock()
	defer q.mu.Unlock()
	if now.Sub(q.swept) > idleBudget {
		for k, u := range q.users {
			if now.Sub(u.seen) > idleBudget {
				delete(q.users, k)
			}
		}
		q.swept = now
	}
	u, found := q.users[key]
	if !found {
		u = &userBudget{limiter: rate.NewLimiter(rate.Limit(q.cfg.rate), q.cfg.burst)}
		q.users[key] = u
	}
	u.seen = now
	if u.limiter.AllowN(now, 1) {
		return true, false
	}
	if now.Sub(u.warned) < warnEvery {
		return false, false
	}
	u.warned = now
	return false, true
}

// depth is how many jobs wait for a worker.
func (q *workQueue) depth() int { return len(q.jobs) }

// serve runs the workers until the queue is closed and drained; each job runs
// through run, which bounds and guards it.
func (q *workQueue) serve(run func(job)) *sync.WaitGroup {
	var wg sync.WaitGroup
	for range q.cfg.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range q.jobs {
				run(j)
			}
		}()
	}
	return &wg
}
