package bulk

import (
	"context"
	"sync"
)

// WholeSlot is a slot for a whole job taken before the job is recorded, so
// that of several commands arriving at once no more start than the replica
// has room for (a look at the room would answer only for that instant).
// Start runs the job in it; Free gives it back unused. Either, once; later
// calls do nothing.
type WholeSlot struct {
	r    *Runner
	once sync.Once
}

// ReserveWhole takes a slot for a whole job, or reports that this replica
// has no room for one.
func (r *Runner) ReserveWhole() (*WholeSlot, bool) {
	select {
	case r.wholeSlots <- struct{}{}:
		return &WholeSlot{r: r}, true
	default:
		return nil, false
	}
}

// Start runs whole job id in the slot, in the background; when this runner
// cannot start it (it is stopping, or runs it already) the slot is freed and
// the job waits for a runner's Loop.
func (s *WholeSlot) Start(ctx context.Context, id string) {
	s.once.Do(func() {
		if !s.r.start(ctx, id, func() { <-s.r.wholeSlots }) {
			<-s.r.wholeSlots
		}
	})
}

// Free gives the slot back without running anything in it.
func (s *WholeSlot) Free() { s.once.Do(func() { <-s.r.wholeSlots }) }
