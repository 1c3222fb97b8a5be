package bottest

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a testing.TB whose cleanups run when the test says and whose
// errors are kept, so a test can watch the leak check judge another.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
	errors   []string
}

func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, format)
}

func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func leakyWork(stop <-chan struct{}) { <-stop }

// A goroutine its test started and left running fails that test, by name of
// what it runs.
func TestLeftBehindReportsAGoroutineItsTestLeftRunning(t *testing.T) {
	r := &recorder{TB: t}
	stop := make(chan struct{})
	defer close(stop)
	leftBehindWithin(r, 50*time.Millisecond)
	go leakyWork(stop)
	r.end()
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "outlived") {
		t.Fatalf("a goroutine left running was not reported: %q", r.errors)
	}
}

// A goroutine started before the check began, as another test running in
// parallel starts them, is not this test's leak; one that ends in time is none.
func TestLeftBehindIgnoresOtherTestsGoroutinesAndThoseThatEnd(t *testing.T) {
	other := make(chan struct{})
	defer close(other)
	go leakyWork(other)
	r := &recorder{TB: t}
	leftBehindWithin(r, 5*time.Second)
	ending := make(chan struct{})
	go leakyWork(ending)
	time.AfterFunc(20*time.Millisecond, func() { close(ending) })
	r.end()
	if len(r.errors) != 0 {
		t.Fatalf("reported a leak where there was none: %q", r.errors)
	}
}
