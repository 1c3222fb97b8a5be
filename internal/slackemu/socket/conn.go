package socket

import (
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// ticketTTL is how long an apps.connections.open URL stays dialable. Slack's
// are "short-lived"; 30 s is generous enough for a loaded CI machine.
const ticketTTL = 30 * time.Second

// wsConn is one accepted socket. Text frames go through writeMu because
// gorilla/websocket allows a single concurrent writer (WriteControl is exempt).
type wsConn struct {
	id      int
	ws      *websocket.Conn
	writeMu sync.Mutex
	done    chan struct{}
	once    sync.Once
	// closeAt, guarded by Config.Lock, is set by Disconnect: the socket gets no
	// more envelopes and is closed at that time if the client has not closed it.
	closeAt time.Time
}

func (c *wsConn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.Close() // closes the TCP connection without a close frame
	})
}

func (c *wsConn) writeText(b []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// OpenConnection is apps.connections.open: a fresh, single-use ticket URL
// below linkBase ("ws://host:port/link/"), or the error code set by
// SetConnectionsOpenError.
func (h *Hub) OpenConnection(linkBase string) (map[string]any, string) {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	if h.failOpen != "" {
		return nil, h.failOpen
	}
	ticket := randomHex(16)
	h.tickets[ticket] = time.Now()
	return map[string]any{"url": linkBase + "?ticket=" + ticket + "&app_id=" + h.cfg.AppID}, ""
}

// SetConnectionsOpenError makes apps.connections.open fail with the given Slack
// error code until it is called again with "". slack-go retries every code
// except invalid_auth, account_inactive, not_authed and token_revoked.
func (h *Hub) SetConnectionsOpenError(code string) {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	h.failOpen = code
}

// ServeLink is the WebSocket link a ticket URL dials.
func (h *Hub) ServeLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	h.cfg.Lock.Lock()
	issued, ok := h.tickets[ticket]
	delete(h.tickets, ticket)
	closed := h.closed
	if !closed {
		h.wg.Add(1)
	}
	h.cfg.Lock.Unlock()
	if closed {
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	defer h.wg.Done()
	if !ok || time.Since(issued) > ticketTTL {
		h.logf("refused socket with unknown, used or expired ticket")
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		h.logf("upgrade failed: %v", err)
		return
	}
	c := &wsConn{ws: ws, done: make(chan struct{})}

	// Hold the writer until hello is out, so no envelope can overtake it.
	c.writeMu.Lock()
	h.cfg.Lock.Lock()
	if h.closed {
		h.cfg.Lock.Unlock()
		c.writeMu.Unlock()
		c.close()
		return
	}
	h.nextConnID++
	c.id = h.nextConnID
	h.conns = append(h.conns, c)
	h.openedTotal++
	n := len(h.conns)
	h.cfg.NotifyLocked()
	h.cfg.Lock.Unlock()
	h.logf("socket %d connected (%d open)", c.id, n)

	if n > h.cfg.MaxConnections {
		_ = c.ws.WriteMessage(websocket.TextMessage, marshal(disconnectFrame("too_many_websockets")))
		c.writeMu.Unlock()
		h.dropConn(c)
		return
	}
	hello := map[string]any{
		"type":            "hello",
		"num_connections": n,
		"debug_info": map[string]any{
			"host": "applink-emulator", "build_number": 1, "approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": h.cfg.AppID},
	}
	err = c.ws.WriteMessage(websocket.TextMessage, marshal(hello))
	c.writeMu.Unlock()
	if err != nil {
		h.dropConn(c)
		return
	}

	c.ws.SetPongHandler(func(string) error { h.recordPong(); return nil })
	h.wg.Add(1)
	go h.pingLoop(c)
	h.readLoop(c)
	h.dropConn(c)
}

// pingLoop sends PING control frames: slack-go treats a socket without them as dead.
func (h *Hub) pingLoop(c *wsConn) {
	defer h.wg.Done()
	t := time.NewTicker(h.cfg.PingInterval)
	defer t.Stop()
	for {
		if err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second)); err != nil {
			return
		}
		select {
		case <-t.C:
		case <-c.done:
			return
		case <-h.done:
			return
		}
		h.cfg.Lock.Lock()
		expired := !c.closeAt.IsZero() && time.Now().After(c.closeAt)
		h.cfg.Lock.Unlock()
		if expired {
			h.logf("socket %d still open %v after disconnect: closing it", c.id, h.cfg.DisconnectGrace)
			h.dropConn(c)
			return
		}
	}
}

func (h *Hub) readLoop(c *wsConn) {
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		if typ == websocket.TextMessage {
			h.recordAck(c.id, data, time.Now())
		}
	}
}

// dropConn closes a socket and forgets it.
func (h *Hub) dropConn(c *wsConn) {
	c.close()
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	for i, x := range h.conns {
		if x == c {
			h.conns = append(h.conns[:i:i], h.conns[i+1:]...)
			h.logf("socket %d closed (%d open)", c.id, len(h.conns))
			h.cfg.NotifyLocked()
			return
		}
	}
}

func disconnectFrame(reason string) map[string]any {
	return map[string]any{"type": "disconnect", "reason": reason, "debug_info": map[string]any{"host": "applink-emulator"}}
}

// Disconnect sends {"type":"disconnect","reason":reason} on every open socket,
// as Slack does before recycling a connection (e.g. "refresh_requested",
// "warning", "link_disabled"). slack-go then closes the socket and reconnects.
// From then on those sockets get no envelopes (injections wait for a new
// one), and the emulator closes any the client keeps open longer than
// Options.DisconnectGrace.
func (h *Hub) Disconnect(reason string) {
	frame := marshal(disconnectFrame(reason))
	h.cfg.Lock.Lock()
	conns := append([]*wsConn(nil), h.conns...)
	for _, c := range conns {
		if c.closeAt.IsZero() {
			c.closeAt = time.Now().Add(h.cfg.DisconnectGrace)
		}
	}
	h.cfg.Lock.Unlock()
	for _, c := range conns {
		if err := c.writeText(frame); err != nil {
			h.dropConn(c)
		}
	}
}

// DropConnections closes every socket abruptly, without a close frame, like a
// network failure or a Slack host dying.
func (h *Hub) DropConnections() {
	for _, c := range h.openConns() {
		h.dropConn(c)
	}
}

func (h *Hub) openConns() []*wsConn {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	return append([]*wsConn(nil), h.conns...)
}

// Connections reports how many sockets are open now.
func (h *Hub) Connections() int {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	return len(h.conns)
}

// ConnectionsOpened reports how many sockets were ever accepted, so a test can
// tell that a reconnect happened even when the open count looks unchanged.
func (h *Hub) ConnectionsOpened() int {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	return h.openedTotal
}

// Pongs reports how many PONG frames clients sent back to the emulator's
// PINGs, so a test can see that pings were delivered and answered.
func (h *Hub) Pongs() int {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	return h.pongs
}

func (h *Hub) recordPong() {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	h.pongs++
	h.cfg.NotifyLocked()
}

// pickConn returns the next open socket round-robin, or nil and a channel that
// closes on the next state change.
func (h *Hub) pickConn() (*wsConn, <-chan struct{}, error) {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	if h.closed {
		return nil, nil, ErrClosed
	}
	var live []*wsConn
	for _, c := range h.conns {
		if c.closeAt.IsZero() {
			live = append(live, c)
		}
	}
	if len(live) == 0 {
		return nil, h.cfg.ChangedLocked(), nil
	}
	c := live[h.rr%len(live)]
	h.rr++
	return c, nil, nil
}
