package transport

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// workQueue takes acked envelopes on and hands them to a fixed set of workers.
// It is bounded, so a burst cannot grow memory without limit, and it admits each
// person at a bounded rate: past their burst a person's requests wait in their
// own bounded queue and are released at their rate, so one person's flood fills
// neither the shared queue nor the workers and everyone else's commands are
// taken on as if the flood were not there. Only a request beyond the person's
// own queue is turned away.
type workQueue struct {
	cfg  queueConfig
	jobs chan job

	mu    sync.Mutex
	users map[string]*userBudget
	swept time.Time
	// stop ends the pumps; sendMu keeps a pump's send from racing the close
	// of jobs.
	stop    chan struct{}
	stopped bool
	sendMu  sync.RWMutex
	pumps   sync.WaitGroup
}

type queueConfig struct {
	workers, size int
	rate          float64
	burst         int
	// perUser is how many of one person's requests may wait their turn.
	perUser int
	now     func() time.Time
	// dropped is told of a request that waited in its person's queue and
	// could not be handed on (the bot is stopping), so it is answered.
	dropped func(job)
}

// job is one envelope's work.
type job struct {
	req *Request
	run func(ctx context.Context)
	// decisive marks a click that carries out a decision (confirm, approve,
	// start a job): turned away, the person is always told.
	decisive bool
	// released is when a request that waited in its person's queue was
	// handed on; its work deadline counts from then.
	released time.Time
}

// userBudget is one person's admission rate, the requests waiting their turn,
// and when they were last told to slow down (so a flood gets one warning, not
// one per envelope).
type userBudget struct {
	limiter *rate.Limiter
	waiting []job
	pumping bool
	warned  time.Time
	seen    time.Time
}

// idleBudget is how long an idle person's budget is kept.
const idleBudget = 10 * time.Minute

// warnEvery spaces the "slow down" answers to one person.
const warnEvery = 10 * time.Second

func newWorkQueue(c queueConfig) *workQueue {
	return &workQueue{cfg: c, jobs: make(chan job, c.size), users: map[string]*userBudget{}, stop: make(chan struct{})}
}

// admission is what became of an envelope offered to the queue.
type admission int

const (
	admitted admission = iota
	// delayed: the person is over their rate; it waits in their own queue.
	delayed
	// throttled: the person's own queue is full; warn says whether to tell them.
	throttled
	// full: the shared queue is full.
	full
)

// offer queues j, or puts it in its person's queue when they are over their
// rate. It never blocks: the event loop that acks envelopes calls it.
func (q *workQueue) offer(j job) (admission, bool) {
	key := j.req.Actor.TeamID + "/" + j.req.Actor.UserID
	now := q.cfg.now()
	q.mu.Lock()
	if q.stopped {
		q.mu.Unlock()
		return full, true
	}
	u := q.budget(key, now)
	if len(u.waiting) == 0 && u.limiter.AllowN(now, 1) {
		q.mu.Unlock()
		select {
		case q.jobs <- j:
			return admitted, false
		default:
			return full, true
		}
	}
	defer q.mu.Unlock()
	if len(u.waiting) < q.cfg.perUser {
		u.waiting = append(u.waiting, j)
		if !u.pumping {
			u.pumping = true
			q.pumps.Go(func() { q.pump(u) })
		}
		return delayed, false
	}
	if j.decisive || now.Sub(u.warned) >= warnEvery {
		u.warned = now
		return throttled, true
	}
	return throttled, false
}

// budget returns key's budget, forgetting idle ones now and then. q.mu is held.
func (q *workQueue) budget(key string, now time.Time) *userBudget {
	if now.Sub(q.swept) > idleBudget {
		for k, u := range q.users {
			if now.Sub(u.seen) > idleBudget && len(u.waiting) == 0 {
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
	return u
}

// pump hands one person's waiting requests on, one per token of their rate,
// until none waits. Only this person's requests wait for it.
func (q *workQueue) pump(u *userBudget) {
	for {
		q.mu.Lock()
		if len(u.waiting) == 0 || q.stopped {
			u.pumping = false
			left := u.waiting
			u.waiting = nil
			q.mu.Unlock()
			for _, j := range left {
				q.cfg.dropped(j)
			}
			return
		}
		j := u.waiting[0]
		now := q.cfg.now()
		wait := u.limiter.ReserveN(now, 1).DelayFrom(now)
		q.mu.Unlock()
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-q.stop:
				t.Stop()
			}
		}
		q.mu.Lock()
		u.waiting = u.waiting[1:]
		q.mu.Unlock()
		j.released = q.cfg.now()
		if !q.send(j) {
			q.cfg.dropped(j)
		}
	}
}

// send hands j to the workers, waiting for room, unless the queue stops.
func (q *workQueue) send(j job) bool {
	q.sendMu.RLock()
	defer q.sendMu.RUnlock()
	select {
	case <-q.stop:
		return false
	default:
	}
	select {
	case q.jobs <- j:
		return true
	case <-q.stop:
		return false
	}
}

// close takes no more work: requests still waiting in people's queues are
// handed to cfg.dropped; what the workers' queue holds is still served.
func (q *workQueue) close() {
	q.mu.Lock()
	q.stopped = true
	q.mu.Unlock()
	close(q.stop)
	q.pumps.Wait()
	q.sendMu.Lock()
	close(q.jobs)
	q.sendMu.Unlock()
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
