package bottest

import (
	"sync"
	"testing"
)

// wireAtOnce is how many tests may have harnesses on the emulators at once.
// Each such test has its own pool and tables, so they can run in parallel;
// the bound keeps moto (one Python process) and DynamoDB Local answering in
// time on a small machine while the in-memory tests run beside them.
const wireAtOnce = 3

// wireSlots hands out the wireAtOnce places; a test holds one for all its
// wire harnesses, so a test with two never waits on itself.
var wireSlots = struct {
	mu    sync.Mutex
	cond  *sync.Cond
	held  map[testing.TB]int
	tests int
}{held: map[testing.TB]int{}}

func init() { wireSlots.cond = sync.NewCond(&wireSlots.mu) }

// takeWireSlot waits for a place on the emulators for t, and gives it back
// when t's cleanups have stopped its bots and dropped its tables (it is
// registered before them, so it runs after them).
func takeWireSlot(t testing.TB) {
	s := &wireSlots
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held[t] == 0 {
		for s.tests >= wireAtOnce {
			s.cond.Wait()
		}
		s.tests++
	}
	s.held[t]++
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.held[t]--; s.held[t] == 0 {
			delete(s.held, t)
			s.tests--
			s.cond.Broadcast()
		}
	})
}
