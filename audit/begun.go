package audit

import "sync"

// maxBegun bounds how many open intents a log handle remembers (begunIntents).
// A worker pool finishes its intents within seconds, so this holds every open
// intent of one replica many times over; one evicted is still finished right,
// only by reading it first.
const maxBegun = 4096

// begunIntent is what Finish needs to know of an intent this handle wrote: the
// chain it joined and its hash, which its outcome link names, and the target's
// pool, which a resolved target's history key is made of.
type begunIntent struct {
	shard int
	hash  string
	pool  string
}

// begunIntents remembers the intents this log handle wrote (Begin) until they
// are finished, so Finish does not read back from the table what this process
// has just written there. It is bounded (maxBegun, oldest forgotten first);
// an intent it does not know (written by another replica or before a restart,
// or forgotten) is read from the table as before. Nothing it holds is trusted
// beyond what the write itself established: the outcome's transaction is still
// conditional on the entry being pending, so a finished entry loses it.
type begunIntents struct {
	mu    sync.Mutex
	by    map[string]begunIntent
	order []string // ids in the order they were remembered, oldest first; may name forgotten ids
	// limit is the bound; 0 means maxBegun. A test lowers it rather than
	// write thousands of intents to see one forgotten.
	limit int
}

func (b *begunIntents) bound() int {
	if b.limit > 0 {
		return b.limit
	}
	return maxBegun
}

// remember records an intent just written.
func (b *begunIntents) remember(id string, in begunIntent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.by == nil {
		b.by = map[string]begunIntent{}
	}
	limit := b.bound()
	for len(b.by) >= limit && len(b.order) > 0 {
		delete(b.by, b.order[0])
		b.order = b.order[1:]
	}
	if len(b.order) >= 2*limit {
		// Most of order names intents finished already: keep only the open ones.
		kept := make([]string, 0, len(b.by))
		for _, old := range b.order {
			if _, ok := b.by[old]; ok {
				kept = append(kept, old)
			}
		}
		b.order = kept
	}
	b.by[id] = in
	b.order = append(b.order, id)
}

// lookup returns the intent id when this handle remembers it.
func (b *begunIntents) lookup(id string) (begunIntent, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	in, ok := b.by[id]
	return in, ok
}

// forget drops an intent once it is finished.
func (b *begunIntents) forget(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.by, id)
}
