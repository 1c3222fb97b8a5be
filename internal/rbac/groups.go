package rbac

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"
)

// fetchTimeout bounds one fetch from Slack, which runs detached from the
// callers' contexts.
const fetchTimeout = 30 * time.Second

// errUnresolved stands for a group that no resolver can look up.
var errUnresolved = errors.New("user group cannot be resolved")

// FetchFunc returns the current members of a Slack user group; the bot
// passes a call to usergroups.users.list.
type FetchFunc func(ctx context.Context, groupID string) ([]string, error)

// CachedGroups is a GroupResolver that caches each group's members for a
// TTL (slack.group_refresh), so a burst of commands does not hit Slack's
// rate limits. Concurrent lookups of one group share a single fetch. If a
// refresh fails, the last known members are served (and the failure
// logged) rather than locking everyone out during a Slack hiccup; with
// nothing cached the error is returned and the policy denies.
type CachedGroups struct {
	fetch FetchFunc
	ttl   time.Duration
	now   func() time.Time
	log   *zap.Logger

	mu      sync.Mutex
	entries map[string]*groupEntry
}

// groupEntry is one group's cached state.
type groupEntry struct {
	members  []string
	cached   bool      // members holds a successful fetch
	fetched  time.Time // when members was fetched
	retryAt  time.Time // after a failed refresh, serve stale until then
	inflight *groupCall
}

// groupCall is a fetch in progress that other callers wait on.
type groupCall struct {
	done    chan struct{}
	members []string
	err     error
}

// CacheOption configures a CachedGroups.
type CacheOption func(*CachedGroups)

// WithClock replaces time.Now, so tests can move time past the TTL.
func WithClock(now func() time.Time) CacheOption {
	return func(c *CachedGroups) { c.now = now }
}

// WithLogger logs refresh failures that are answered from stale data.
func WithLogger(l *zap.Logger) CacheOption {
	return func(c *CachedGroups) { c.log = l }
}

// NewCachedGroups caches fetch's answers for ttl (at least one second).
func NewCachedGroups(fetch FetchFunc, ttl time.Duration, opts ...CacheOption) *CachedGroups {
	c := &CachedGroups{fetch: fetch, ttl: max(ttl, time.Second), now: time.Now, log: zap.NewNop(),
		entries: map[string]*groupEntry{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Members returns the group's members, from cache if fresh. The returned
// slice is the caller's to keep.
func (c *CachedGroups) Members(ctx context.Context, groupID string) ([]string, error) {
	c.mu.Lock()
	e := c.entries[groupID]
	if e == nil {
		e = &groupEntry{}
		c.entries[groupID] = e
	}
	now := c.now()
	if e.cached && (now.Sub(e.fetched) < c.ttl || now.Before(e.retryAt)) {
		out := clone(e.members)
		c.mu.Unlock()
		return out, nil
	}
	call := e.inflight
	if call == nil {
		call = &groupCall{done: make(chan struct{})}
		e.inflight = call
		// The fetch outlives this caller's context: waiters that join it
		// must not fail because the first caller gave up.
		fetchCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
		go func() {
			defer cancel()
			c.refresh(fetchCtx, groupID, e, call)
		}()
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		return clone(call.members), call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// refresh runs one fetch and publishes its outcome to every waiter.
func (c *CachedGroups) refresh(ctx context.Context, groupID string, e *groupEntry, call *groupCall) {
	members, err := c.safeFetch(ctx, groupID)
	c.mu.Lock()
	defer c.mu.Unlock()
	e.inflight = nil
	now := c.now()
	switch {
	case err == nil:
		e.members, e.cached, e.fetched, e.retryAt = clone(members), true, now, time.Time{}
		call.members = e.members
	case e.cached:
		// Serve what we knew; try Slack again after a short pause rather
		// than on every command while it is failing.
		e.retryAt = now.Add(min(c.ttl, 30*time.Second))
		c.log.Warn("refreshing Slack user group failed; using last known members",
			zap.String("group_id", groupID), zap.Time("fetched", e.fetched), zap.Error(err))
		call.members = e.members
	default:
		call.err = err
	}
	close(call.done)
}

// safeFetch turns a panicking fetch into an error, since it runs on its
// own goroutine where a panic would take down the bot.
func (c *CachedGroups) safeFetch(ctx context.Context, groupID string) (members []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fetching user group %s panicked: %v", groupID, r)
		}
	}()
	return c.fetch(ctx, groupID)
}

// Forget drops a group from the cache, e.g. on Slack's
// subteam_members_changed event, so the next lookup fetches it afresh.
func (c *CachedGroups) Forget(groupID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// A fetch in flight finishes into the orphaned entry; its waiters still
	// get the answer, but the next lookup fetches afresh.
	delete(c.entries, groupID)
}

func clone(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}
