package rbac

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"
)

// fetchTimeout bounds one fetch from Slack, which runs detached from the
// callers' contexts.
const fetchTimeout = 30 * time.Second

// maxAgeCap bounds how old a member list may ever be when it is used: twice
// the refresh interval, but never more than this, so someone removed from a
// group keeps no access for long even when Slack cannot be asked.
const maxAgeCap = 30 * time.Minute

// FetchFunc returns the current members of a Slack user group; the bot
// passes a call to usergroups.users.list.
type FetchFunc func(ctx context.Context, groupID string) ([]string, error)

// CachedGroups is a GroupResolver that caches each group's members for a
// TTL (slack.group_refresh), so a burst of commands does not hit Slack's
// rate limits. Concurrent lookups of one group share a single fetch. If a
// refresh fails, the last known members are served (and the failure
// logged) rather than locking everyone out during a Slack hiccup, but only
// while they are younger than the maximum age (2 × TTL, at most 30
// minutes). Past that, or with nothing cached, the error is returned and
// logged, and the policy denies: fail closed.
type CachedGroups struct {
	fetch  FetchFunc
	ttl    time.Duration
	maxAge time.Duration
	now    func() time.Time
	log    *zap.Logger

	mu      sync.Mutex
	entries map[string]*groupEntry
}

// groupEntry is one group's cached state.
type groupEntry struct {
	members  []string
	cached   bool      // members holds a successful fetch
	fetched  time.Time // when members was fetched
	retryAt  time.Time // after a failed refresh, serve stale until then (never past maxAge)
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

// WithLogger logs failed refreshes: those answered from stale data, and
// those refused because no recent enough list is known.
func WithLogger(l *zap.Logger) CacheOption {
	return func(c *CachedGroups) { c.log = l }
}

// NewCachedGroups caches fetch's answers for ttl (at least one second, and
// at most the maximum age of 2 × ttl capped at 30 minutes).
func NewCachedGroups(fetch FetchFunc, ttl time.Duration, opts ...CacheOption) *CachedGroups {
	ttl = max(ttl, time.Second)
	maxAge := min(2*ttl, maxAgeCap)
	c := &CachedGroups{fetch: fetch, ttl: min(ttl, maxAge), maxAge: maxAge, now: time.Now, log: zap.NewNop(),
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
	if age := now.Sub(e.fetched); e.cached && (age < c.ttl || (now.Before(e.retryAt) && age < c.maxAge)) {
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
	case e.cached && now.Sub(e.fetched) < c.maxAge:
		// Serve what we knew; try Slack again after a short pause rather
		// than on every command while it is failing, but not past the
		// list's maximum age.
		e.retryAt = now.Add(min(c.ttl, 30*time.Second, e.fetched.Add(c.maxAge).Sub(now)))
		c.log.Warn("refreshing Slack user group failed; using last known members",
			zap.String("group_id", groupID), zap.Time("fetched", e.fetched), zap.Error(err))
		call.members = e.members
	default:
		fields := []zap.Field{zap.String("group_id", groupID), zap.Duration("max_age", c.maxAge), zap.Error(err)}
		if e.cached {
			fields = append(fields, zap.Time("fetched", e.fetched))
		}
		c.log.Error("could not check Slack user group membership; denying its members until Slack answers", fields...)
		call.err = fmt.Errorf("fetching members of user group %s: %w", groupID, err)
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
