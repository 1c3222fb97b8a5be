package slackemu

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// ticketTTL is how long an apps.connections.open URL stays dialable. Slack's
// are "short-lived"; 30 s is generous enough for a loaded CI machine.
const ticketTTL = 30 * time.Second

// socketState is the Socket Mode half of the Server's state, guarded by Server.mu.
type socketState struct {
	tickets     map[string]time.Time // unused tickets → issue time
	conns       []*wsConn            // open sockets, in connection order
	nextConnID  int
	rr          int // round-robin cursor over conns
	openedTotal int
	failOpen    string // non-empty: apps.connections.open answers this error

	deliveries map[string]*delivery // by envelope_id
	acks       []Ack
	triggers   map[string]*trigger
}

func (s *Server) initSocket() {
	s.tickets = map[string]time.Time{}
	s.deliveries = map[string]*delivery{}
	s.triggers = map[string]*trigger{}
}

// wsConn is one accepted socket. Text frames go through writeMu because
// gorilla/websocket allows a single concurrent writer (WriteControl is exempt).
type wsConn struct {
	id      int
	ws      *websocket.Conn
	writeMu sync.Mutex
	done    chan struct{}
	once    sync.Once
	// closeAt, guarded by Server.mu, is set by Disconnect: the socket gets no
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

// openConnection is apps.connections.open: a fresh, single-use ticket URL.
func (s *Server) openConnection() (map[string]any, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failOpen != "" {
		return nil, s.failOpen
	}
	ticket := randomHex(16)
	s.tickets[ticket] = time.Now()
	return map[string]any{"url": s.wsURL() + "/link/?ticket=" + ticket + "&app_id=" + s.opts.AppID}, ""
}

// SetConnectionsOpenError makes apps.connections.open fail with the given Slack
// error code until it is called again with "". slack-go retries every code
// except invalid_auth, account_inactive, not_authed and token_revoked.
func (s *Server) SetConnectionsOpenError(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failOpen = code
}

func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	issued, ok := s.tickets[ticket]
	delete(s.tickets, ticket)
	closed := s.closed
	if !closed {
		s.wg.Add(1)
	}
	s.mu.Unlock()
	if closed {
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	defer s.wg.Done()
	if !ok || time.Since(issued) > ticketTTL {
		s.logf("refused socket with unknown, used or expired ticket")
		http.Error(w, "invalid ticket", http.StatusUnauthorized)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.logf("upgrade failed: %v", err)
		return
	}
	c := &wsConn{ws: ws, done: make(chan struct{})}

	// Hold the writer until hello is out, so no envelope can overtake it.
	c.writeMu.Lock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.writeMu.Unlock()
		c.close()
		return
	}
	s.nextConnID++
	c.id = s.nextConnID
	s.conns = append(s.conns, c)
	s.openedTotal++
	n := len(s.conns)
	s.notifyLocked()
	s.mu.Unlock()
	s.logf("socket %d connected (%d open)", c.id, n)

	if n > s.opts.MaxConnections {
		_ = c.ws.WriteMessage(websocket.TextMessage, marshal(disconnectFrame("too_many_websockets")))
		c.writeMu.Unlock()
		s.dropConn(c)
		return
	}
	hello := map[string]any{
		"type":            "hello",
		"num_connections": n,
		"debug_info": map[string]any{
			"host": "applink-emulator", "build_number": 1, "approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": s.opts.AppID},
	}
	err = c.ws.WriteMessage(websocket.TextMessage, marshal(hello))
	c.writeMu.Unlock()
	if err != nil {
		s.dropConn(c)
		return
	}

	s.wg.Add(1)
	go s.pingLoop(c)
	s.readLoop(c)
	s.dropConn(c)
}

// pingLoop sends PING control frames: slack-go treats a socket without them as dead.
func (s *Server) pingLoop(c *wsConn) {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	for {
		if err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second)); err != nil {
			return
		}
		select {
		case <-t.C:
		case <-c.done:
			return
		case <-s.done:
			return
		}
		s.mu.Lock()
		expired := !c.closeAt.IsZero() && time.Now().After(c.closeAt)
		s.mu.Unlock()
		if expired {
			s.logf("socket %d still open %v after disconnect: closing it", c.id, s.opts.DisconnectGrace)
			s.dropConn(c)
			return
		}
	}
}

func (s *Server) readLoop(c *wsConn) {
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		if typ == websocket.TextMessage {
			s.recordAck(c.id, data, time.Now())
		}
	}
}

// dropConn closes a socket and forgets it.
func (s *Server) dropConn(c *wsConn) {
	c.close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.conns {
		if x == c {
			s.conns = append(s.conns[:i:i], s.conns[i+1:]...)
			s.logf("socket %d closed (%d open)", c.id, len(s.conns))
			s.notifyLocked()
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
func (s *Server) Disconnect(reason string) {
	frame := marshal(disconnectFrame(reason))
	s.mu.Lock()
	conns := append([]*wsConn(nil), s.conns...)
	for _, c := range conns {
		if c.closeAt.IsZero() {
			c.closeAt = time.Now().Add(s.opts.DisconnectGrace)
		}
	}
	s.mu.Unlock()
	for _, c := range conns {
		if err := c.writeText(frame); err != nil {
			s.dropConn(c)
		}
	}
}

// DropConnections closes every socket abruptly, without a close frame, like a
// network failure or a Slack host dying.
func (s *Server) DropConnections() {
	for _, c := range s.openConns() {
		s.dropConn(c)
	}
}

func (s *Server) openConns() []*wsConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*wsConn(nil), s.conns...)
}

// Connections reports how many sockets are open now.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// ConnectionsOpened reports how many sockets were ever accepted, so a test can
// tell that a reconnect happened even when the open count looks unchanged.
func (s *Server) ConnectionsOpened() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.openedTotal
}

// WaitConnections blocks until at least n sockets are open.
func (s *Server) WaitConnections(ctx context.Context, n int) error {
	return s.Wait(ctx, func() bool { return s.Connections() >= n })
}

// pickConn returns the next open socket round-robin, or nil and a channel that
// closes on the next state change.
func (s *Server) pickConn() (*wsConn, <-chan struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil, ErrClosed
	}
	var live []*wsConn
	for _, c := range s.conns {
		if c.closeAt.IsZero() {
			live = append(live, c)
		}
	}
	if len(live) == 0 {
		return nil, s.changed, nil
	}
	c := live[s.rr%len(live)]
	s.rr++
	return c, nil, nil
}
