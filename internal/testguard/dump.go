package testguard

import (
	"bytes"
	"fmt"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
)

// goroutineDump is one goroutine profile, sorted by watch: the stacks each
// watched test still has running, less notLeaks.
//
// Every watched test's cleanup looks at the goroutines once it ended, and
// a package's tests run in parallel, so a dump holds the goroutines of
// every running test and costs the same whoever reads it: cleanups that ask
// at the same moment share one, and it is read once for all of them.
type goroutineDump struct {
	running map[string][]string // watch number → stack groups
	err     error
}

// left reports whether the watch numbered id has goroutines running; a dump
// that could not be taken says yes, so the check retries, then fails.
func (d *goroutineDump) left(id string) bool { return d.err != nil || len(d.running[id]) > 0 }

// stacks are the running goroutines of the watch numbered id, by stack.
func (d *goroutineDump) stacks(id string) string { return strings.Join(d.running[id], "\n\n") }

// dumps shares goroutine dumps among the cleanups that ask at the same moment.
var dumps struct {
	mu sync.Mutex
	// next is the dump the cleanups asking now will share; it has not begun.
	next *sharedDump
	// taking is held while a dump is taken, so the next one waits for it and
	// gathers every cleanup asking meanwhile.
	taking sync.Mutex
}

type sharedDump struct {
	done chan struct{}
	dump *goroutineDump
}

// currentGoroutines returns a goroutine dump begun after the call: one taken
// for this caller or shared with others who asked before it began.
func currentGoroutines() *goroutineDump {
	dumps.mu.Lock()
	d, first := dumps.next, dumps.next == nil
	if first {
		d = &sharedDump{done: make(chan struct{})}
		dumps.next = d
	}
	dumps.mu.Unlock()
	if first {
		dumps.taking.Lock()
		dumps.mu.Lock()
		dumps.next = nil // whoever asks from now on needs a later dump
		dumps.mu.Unlock()
		d.dump = takeGoroutineDump()
		dumps.taking.Unlock()
		close(d.done)
	}
	<-d.done
	return d.dump
}

func takeGoroutineDump() *goroutineDump {
	var buf bytes.Buffer
	// debug=1 groups goroutines by stack and prints each group's labels.
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		return &goroutineDump{err: fmt.Errorf("reading the goroutine profile: %w", err)}
	}
	return &goroutineDump{running: byWatch(buf.String())}
}

// byWatch sorts a debug=1 goroutine profile's stack groups by the watch
// number of their leakLabel, leaving out unlabelled groups and notLeaks.
func byWatch(profile string) map[string][]string {
	mark := strconv.Quote(leakLabel) + `:"`
	running := map[string][]string{}
	for _, group := range strings.Split(profile, "\n\n") {
		id := watchOf(group, mark)
		if id == "" || ignored(group) {
			continue
		}
		running[id] = append(running[id], group)
	}
	return running
}

// watchOf returns the watch number on a stack group's labels line, "" if
// it has none. mark is the label's quoted key, a colon and the opening quote.
func watchOf(group, mark string) string {
	at := strings.Index(group, "\n# labels: ")
	if at < 0 {
		return ""
	}
	line := group[at+1:]
	if end := strings.IndexByte(line, '\n'); end >= 0 {
		line = line[:end]
	}
	_, value, found := strings.Cut(line, mark)
	if !found {
		return ""
	}
	id, _, _ := strings.Cut(value, `"`)
	return id
}
