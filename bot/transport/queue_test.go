package transport

import (
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
)

func queueFor(t *testing.T, dropped func(job)) *workQueue {
	t.Helper()
	return newWorkQueue(queueConfig{workers: 1, size: 10, rate: 0.001, burst: 1, perUser: 2, now: time.Now, dropped: dropped})
}

func jobOf(user string) job {
	return job{req: &Request{Actor: audit.Actor{UserID: user, TeamID: "T1"}}}
}

// A person's requests past their burst wait in their own queue; beyond it
// they are turned away; someone else is admitted at once meanwhile.
func TestQueueDelaysAPersonPastTheirRateAndTurnsAwayBeyondTheirQueue(t *testing.T) {
	q := queueFor(t, func(job) {})
	defer q.close()
	want := []admission{admitted, delayed, delayed, throttled}
	for i, w := range want {
		if got, _ := q.offer(jobOf("U1")); got != w {
			t.Errorf("request %d of U1: %v; want %v", i, got, w)
		}
	}
	if got, _ := q.offer(jobOf("U2")); got != admitted {
		t.Errorf("U2 behind U1's queue: %v; want admitted at once", got)
	}
	if n := q.waiting(); n != 2 {
		t.Errorf("%d waiting; want U1's 2", n)
	}
}

// Requests still waiting in a person's queue when the bot stops are handed to
// dropped, to be answered, never lost silently.
func TestQueueClosingAnswersTheRequestsStillWaiting(t *testing.T) {
	var mu sync.Mutex
	var dropped []string
	q := queueFor(t, func(j job) {
		mu.Lock()
		dropped = append(dropped, j.req.Actor.UserID)
		mu.Unlock()
	})
	q.offer(jobOf("U1"))
	q.offer(jobOf("U1"))
	q.offer(jobOf("U1"))
	q.close()
	mu.Lock()
	defer mu.Unlock()
	if len(dropped) != 2 {
		t.Errorf("dropped %v at close; want U1's two waiting requests", dropped)
	}
}

// waiting is how many requests wait in people's own queues.
func (q *workQueue) waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, u := range q.users {
		n += len(u.waiting)
	}
	return n
}
