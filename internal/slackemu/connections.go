package slackemu

import "context"

// SetConnectionsOpenError makes apps.connections.open fail with the given Slack
// error code until it is called again with "". slack-go retries every code
// except invalid_auth, account_inactive, not_authed and token_revoked.
func (s *Server) SetConnectionsOpenError(code string) { s.hub.SetConnectionsOpenError(code) }

// Disconnect sends {"type":"disconnect","reason":reason} on every open socket,
// as Slack does before recycling a connection (e.g. "refresh_requested",
// "warning", "link_disabled"). slack-go then closes the socket and reconnects.
// From then on those sockets get no envelopes (injections wait for a new
// one), and the emulator closes any the client keeps open longer than
// Options.DisconnectGrace.
func (s *Server) Disconnect(reason string) { s.hub.Disconnect(reason) }

// DropConnections closes every socket abruptly, without a close frame, like a
// network failure or a Slack host dying.
func (s *Server) DropConnections() { s.hub.DropConnections() }

// Connections reports how many sockets are open now.
func (s *Server) Connections() int { return s.hub.Connections() }

// ConnectionsOpened reports how many sockets were ever accepted, so a test can
// tell that a reconnect happened even when the open count looks unchanged.
func (s *Server) ConnectionsOpened() int { return s.hub.ConnectionsOpened() }

// Pongs reports how many PONG frames clients sent back to the emulator's
// WebSocket PINGs, over all sockets: pings delivered and answered, which a
// test can wait for instead of sleeping through the client's ping timeout.
func (s *Server) Pongs() int { return s.hub.Pongs() }

// WaitConnections blocks until at least n sockets are open.
func (s *Server) WaitConnections(ctx context.Context, n int) error {
	return s.Wait(ctx, func() bool { return s.Connections() >= n })
}
