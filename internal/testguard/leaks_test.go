package testguard

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func leakyWork(stop <-chan struct{}) { <-stop }

// A goroutine its test started and left running fails that test, by name of
// what it runs.
func TestWatchReportsAGoroutineItsTestLeftRunning(t *testing.T) {
	t.Parallel()
	r := &recorder{TB: t}
	stop := make(chan struct{})
	defer close(stop)
	watchWithin(r, 50*time.Millisecond)
	go leakyWork(stop)
	r.end()
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "outlived") || !strings.Contains(r.errors[0], "testguard.leakyWork") {
		t.Fatalf("a goroutine left running was not reported by name: %q", r.errors)
	}
}

// Tests ending at the same moment share a look at the goroutines; each is
// still judged by its own.
func TestWatchJudgesTestsEndingTogetherEachByItsOwn(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	defer close(stop)
	const tests = 6
	recorders := make([]*recorder, tests)
	ready := make(chan struct{})
	var ended sync.WaitGroup
	for i := range recorders {
		r := &recorder{TB: t}
		recorders[i] = r
		labelled := make(chan struct{})
		ended.Go(func() {
			watchWithin(r, 50*time.Millisecond)
			if i%2 == 0 {
				go leakyWork(stop)
			}
			close(labelled)
			<-ready
			r.end()
		})
		<-labelled
	}
	close(ready)
	ended.Wait()
	for i, r := range recorders {
		if leaked := i%2 == 0; leaked != (len(r.errors) == 1) || len(r.errors) > 1 {
			t.Errorf("test %d (leaked: %v) was reported with %q", i, leaked, r.errors)
		}
	}
}

// A goroutine started before the check began, as another test running in
// parallel starts them, is not this test's leak; one that ends in time is none.
func TestWatchIgnoresOtherTestsGoroutinesAndThoseThatEnd(t *testing.T) {
	t.Parallel()
	other := make(chan struct{})
	defer close(other)
	go leakyWork(other)
	r := &recorder{TB: t}
	watchWithin(r, 5*time.Second)
	ending := make(chan struct{})
	go leakyWork(ending)
	time.AfterFunc(20*time.Millisecond, func() { close(ending) })
	r.end()
	if len(r.errors) != 0 {
		t.Fatalf("reported a leak where there was none: %q", r.errors)
	}
}

// An HTTP client's idle keep-alive connection is not the bot's: its
// goroutines, started under the check, are no leak.
func TestWatchIgnoresIdleKeepAliveConnections(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	defer srv.Close()
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	r := &recorder{TB: t}
	watchWithin(r, 50*time.Millisecond)
	res, err := (&http.Client{Transport: transport}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	r.end()
	if len(r.errors) != 0 {
		t.Fatalf("an idle keep-alive connection was reported: %q", r.errors)
	}
}
