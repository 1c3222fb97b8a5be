package metrics

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// HeartbeatTimeout is how long the event loop may stay silent before /healthz
// reports it stuck. The bot beats every few seconds even when idle, so this leaves
// room for several missed beats and a slow garbage collection.
const HeartbeatTimeout = 30 * time.Second

// Health answers the orchestrator's two questions. Liveness: is the event loop still
// turning (a stuck loop cannot ack, and only a restart helps)? Readiness: is the
// Socket Mode connection up and did the last DynamoDB check pass (without the audit
// log the bot refuses every action)?
type Health struct {
	staleAfter time.Duration
	now        func() time.Time

	mu        sync.Mutex
	lastBeat  time.Time
	connected bool
	storeDown []string
	storeSeen bool
}

// NewHealth returns a Health that counts the loop alive until staleAfter passes
// without a beat; now is the clock (time.Now outside tests). The loop counts as
// alive from creation, so a slow start-up check does not get the pod restarted.
func NewHealth(staleAfter time.Duration, now func() time.Time) *Health {
	return &Health{staleAfter: staleAfter, now: now, lastBeat: now()}
}

// Beat records that the event loop is alive.
func (h *Health) Beat() {
	h.mu.Lock()
	h.lastBeat = h.now()
	h.mu.Unlock()
}

// SetConnected records whether the Socket Mode connection is up.
func (h *Health) SetConnected(up bool) {
	h.mu.Lock()
	h.connected = up
	h.mu.Unlock()
}

// SetStoreCheck records the result of the latest DynamoDB check: what could not
// be reached, by its role only ("audit table", "state table"); none means it
// passed. /readyz is served on an all-interfaces port, so the details (AWS error
// text with role ARNs and the account id) belong in the log, never here.
func (h *Health) SetStoreCheck(unreachable ...string) {
	h.mu.Lock()
	h.storeDown, h.storeSeen = slices.Clone(unreachable), true
	h.mu.Unlock()
}

// Live returns why the event loop counts as stuck, or "" when it is alive.
func (h *Health) Live() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if silent := h.now().Sub(h.lastBeat); silent > h.staleAfter {
		return fmt.Sprintf("event loop silent for %s (limit %s)", silent.Round(time.Second), h.staleAfter)
	}
	return ""
}

// Ready returns every reason the bot is not ready, or nil when it is.
func (h *Health) Ready() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var why []string
	if !h.connected {
		why = append(why, "Socket Mode is not connected")
	}
	switch {
	case !h.storeSeen:
		why = append(why, "DynamoDB not checked yet")
	default:
		for _, what := range h.storeDown {
			why = append(why, what+" unreachable")
		}
	}
	return why
}

// LiveHandler serves /healthz: 200 while the event loop beats, else 503.
func (h *Health) LiveHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if why := h.Live(); why != "" {
			http.Error(w, why, http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
}

// ReadyHandler serves /readyz: 200 when connected with a passing DynamoDB check, else
// 503 listing every reason.
func (h *Health) ReadyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if why := h.Ready(); len(why) > 0 {
			http.Error(w, strings.Join(why, "; "), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
}
