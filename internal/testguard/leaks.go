package testguard

import (
	"context"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// leakLabel is the goroutine label that names the watch a goroutine was
// started under; every goroutine inherits its creator's labels.
const leakLabel = "leakcheck-watch"

// leakWait bounds how long a finished test's goroutines may take to end:
// generous, as parallel tests share two cores with the race detector; a clean
// test returns at the first look.
const leakWait = 10 * time.Second

// watches numbers the watches of the process, for leakLabel.
var watches atomic.Uint64

// Watch fails t if, once every cleanup registered after this call has run
// (Watch registers its own first, so it runs last), a goroutine started
// during the test is still running: a stopped bot must leave nothing behind
// that touches the stores, Slack or the logger. A goroutine outliving its
// test is also how a data race lands outside any test, failing the package
// without naming one. Idle keep-alive connections of HTTP clients are not
// the code's and are ignored.
//
// Tests run in parallel, so "started during the test" cannot mean "started
// since it began" (other tests start goroutines too): the calling goroutine
// is labelled with this watch's number, every goroutine it starts from here
// on (an emulator, the bots, and theirs) inherits the label, and a labelled
// goroutine still running at the end is this test's leak. Call it from the
// test's own goroutine, before starting anything.
func Watch(t testing.TB) { watchWithin(t, leakWait) }

// watchWithin is Watch giving the goroutines until within to end.
func watchWithin(t testing.TB, within time.Duration) {
	id := strconv.FormatUint(watches.Add(1), 10)
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels(leakLabel, id)))
	t.Cleanup(func() {
		// This is the test's goroutine; it is no leak.
		pprof.SetGoroutineLabels(context.Background())
		dump := currentGoroutines()
		for deadline := time.Now().Add(within); dump.left(id) && time.Now().Before(deadline); dump = currentGoroutines() {
			time.Sleep(20 * time.Millisecond)
		}
		switch {
		case dump.err != nil:
			t.Errorf("checking for goroutines that outlived the test: %v", dump.err)
		case dump.left(id):
			t.Errorf("goroutines outlived the test:\n%s", dump.stacks(id))
		}
	})
}

// notLeaks are goroutines that may outlive a test without being its leak:
// idle keep-alive connections of HTTP clients, and the runtime's signal
// watcher, started once per process by whichever test first asks for signals.
var notLeaks = []string{
	"net/http.(*persistConn).readLoop",
	"net/http.(*persistConn).writeLoop",
	"os/signal.loop",
	"os/signal.signal_recv",
	"runtime.ensureSigM",
}

// ignored reports whether a profile group runs one of notLeaks.
func ignored(group string) bool {
	for _, fn := range notLeaks {
		if strings.Contains(group, "\t"+fn+"+") {
			return true
		}
	}
	return false
}
