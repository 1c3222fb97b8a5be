package chain

import "sync"

// heads caches each chain's head, so a writer usually needs no read before it
// appends: a stale head costs one lost condition, which returns the current head.
type heads struct {
	mu sync.Mutex
	by map[int]Head
}

func (hs *heads) get(shard int) (Head, bool) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	h, ok := hs.by[shard]
	return h, ok
}

func (hs *heads) set(h Head) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if hs.by == nil {
		hs.by = map[int]Head{}
	}
	if old, ok := hs.by[h.Shard]; !ok || !old.Exists || h.seq >= old.seq {
		hs.by[h.Shard] = h
	}
}

func (hs *heads) forget(shard int) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	delete(hs.by, shard)
}
