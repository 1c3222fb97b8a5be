// Package socket is the emulator's Socket Mode transport: the single-use
// WebSocket URLs apps.connections.open hands out, the link itself (hello
// frame, WebSocket PINGs, disconnect frames, too_many_websockets), envelopes
// written round-robin over the open sockets, and every ack recorded with its
// timing (late, duplicate, unknown, oversized).
//
// It knows the wire, not Slack's semantics: what an ack's payload does (a
// message, a modal update) and what a user sees when an ack is late are the
// hooks the emulator in package slackemu gives it. It imports the standard
// library and gorilla/websocket only.
package socket

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// ErrClosed is returned by sends and waits once the Hub is closed, so a test
// blocked on the emulator fails fast instead of hanging until its deadline.
var ErrClosed = errors.New("slackemu: server closed")

// Config wires a Hub into the emulator that owns it.
type Config struct {
	// AppID is advertised in hello frames and socket URLs.
	AppID string
	// PingInterval is how often each socket gets a WebSocket PING.
	PingInterval time.Duration
	// AckTimeout is Slack's ack deadline; a later ack is Late and its payload
	// ignored. 0 or negative disables it.
	AckTimeout time.Duration
	// DisconnectGrace is how long a socket may stay open after a disconnect frame.
	DisconnectGrace time.Duration
	// MaxConnections caps simultaneous sockets.
	MaxConnections int
	// Logf receives one line per notable event.
	Logf func(format string, args ...any)

	// Lock is the emulator's lock. It guards the Hub's state too, so an ack's
	// effect and its record are one step, and the hooks below run with it held.
	Lock *sync.Mutex
	// NotifyLocked wakes everyone waiting for a change of the emulator's state.
	NotifyLocked func()
	// ChangedLocked returns a channel that closes on the next change.
	ChangedLocked func() <-chan struct{}
	// ApplyAckLocked gives an in-time ack's payload ("{}" when it carried
	// none) the effect Slack gives it, and returns why it had none, if so. tag
	// is what Send was given with the envelope.
	ApplyAckLocked func(d Delivery, tag any, payload json.RawMessage) string
	// SentLocked is called as an attempt of the envelope is written.
	SentLocked func(d Delivery, tag any)
	// ExpiredLocked is called when an attempt got no ack within AckTimeout.
	ExpiredLocked func(d Delivery, tag any)
}

// Hub is the Socket Mode side of one emulator. Its methods are safe for
// concurrent use; they take Config.Lock.
type Hub struct {
	cfg      Config
	upgrader websocket.Upgrader
	done     chan struct{}
	wg       sync.WaitGroup

	// Guarded by cfg.Lock.
	closed      bool
	tickets     map[string]time.Time // unused tickets → issue time
	conns       []*wsConn            // open sockets, in connection order
	nextConnID  int
	rr          int // round-robin cursor over conns
	openedTotal int
	pongs       int    // PONG frames answered to our PINGs, over all sockets
	failOpen    string // non-empty: apps.connections.open answers this error
	deliveries  map[string]*record
	acks        []Ack
}

// New returns a Hub; mount ServeLink at the socket URLs' path.
func New(cfg Config) *Hub {
	return &Hub{
		cfg:  cfg,
		done: make(chan struct{}),
		upgrader: websocket.Upgrader{
			// slack-go dials with Origin https://api.slack.com; accept any origin.
			CheckOrigin: func(*http.Request) bool { return true },
		},
		tickets:    map[string]time.Time{},
		deliveries: map[string]*record{},
	}
}

// CloseLocked marks the Hub closed and stops its ack timers; the caller holds
// Config.Lock, then calls Shutdown without it.
func (h *Hub) CloseLocked() {
	if h.closed {
		return
	}
	h.closed = true
	close(h.done)
	for _, d := range h.deliveries {
		if d.timer != nil {
			d.timer.Stop()
		}
	}
}

// Shutdown closes every socket; call it after CloseLocked, then Wait once
// the HTTP server no longer runs ServeLink.
func (h *Hub) Shutdown() {
	for _, c := range h.openConns() {
		c.close()
	}
}

// Wait blocks until every link handler and ping loop has ended.
func (h *Hub) Wait() { h.wg.Wait() }

func (h *Hub) logf(format string, args ...any) { h.cfg.Logf(format, args...) }

// randomHex returns n random bytes as hex; ids must be unguessable so a test
// cannot pass by accident with a hard-coded value.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewEnvelopeID returns a UUID-shaped envelope_id like Slack's.
func NewEnvelopeID() string {
	h := randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// marshal encodes v without HTML escaping (Slack sends "<" and "&"
// literally) and without a trailing newline; nil if v cannot be encoded.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}
