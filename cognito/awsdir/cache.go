package awsdir

import (
	"sync"
	"time"
)

// ttlCache keeps values per key for a fixed time. It exists for DescribeUserPool
// and ListGroups, whose quota categories are small and whose answers rarely
// change; the clock is injectable so tests can expire entries without sleeping.
type ttlCache[V any] struct {
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	items map[string]cacheEntry[V]
}

type cacheEntry[V any] struct {
	v       V
	expires time.Time
}

func newTTLCache[V any](ttl time.Duration, now func() time.Time) *ttlCache[V] {
	return &ttlCache[V]{ttl: ttl, now: now, items: map[string]cacheEntry[V]{}}
}

// get returns the value for key if it is present and not expired.
func (c *ttlCache[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok || !c.now().Before(e.expires) {
		delete(c.items, key)
		var zero V
		return zero, false
	}
	return e.v, true
}

// put stores v for key until the TTL passes.
func (c *ttlCache[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = cacheEntry[V]{v: v, expires: c.now().Add(c.ttl)}
}
