package slackemu

import (
	"context"
	"encoding/json"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/socket"
)

// Envelope types, as in the "type" field of a Socket Mode envelope.
const (
	TypeSlashCommands = socket.TypeSlashCommands
	TypeInteractive   = socket.TypeInteractive
	TypeEventsAPI     = socket.TypeEventsAPI
)

// Delivery describes one envelope sent to the bot, as returned by the
// injection methods. It is a snapshot: Redeliver returns a new one.
type Delivery = socket.Delivery

// Ack is one acknowledgement frame the bot sent back on a socket.
type Ack = socket.Ack

// slashAck is where a slash command's ack payload lands: the invoking user
// in their channel, and the response_url bound to the message it makes.
type slashAck struct {
	channel, user string
	responseURL   string // key of the command's response_url
}

// slashOf is a slash command envelope's tag; one a test delivered by hand
// has none, and its ack lands nowhere in particular, as before.
func slashOf(tag any) *slashAck {
	if a, ok := tag.(*slashAck); ok {
		return a
	}
	return &slashAck{}
}

// newHub wires the Socket Mode transport to this emulator's state.
func (s *Server) newHub() *socket.Hub {
	return socket.New(socket.Config{
		AppID: s.opts.AppID, PingInterval: s.opts.PingInterval, AckTimeout: s.opts.AckTimeout,
		DisconnectGrace: s.opts.DisconnectGrace, MaxConnections: s.opts.MaxConnections, Logf: s.logf,
		Lock: &s.mu, NotifyLocked: s.notifyLocked, ChangedLocked: func() <-chan struct{} { return s.changed },
		ApplyAckLocked: s.applyAckLocked, SentLocked: s.sentLocked, ExpiredLocked: s.ackExpiredLocked,
	})
}

// Deliver sends an arbitrary envelope (e.g. an events_api event_callback) and
// returns what was sent. The higher-level injections build payloads for you.
func (s *Server) Deliver(ctx context.Context, envelopeType string, payload any, acceptsResponsePayload bool) (*Delivery, error) {
	raw, err := socket.ToRaw(payload)
	if err != nil {
		return nil, err
	}
	return s.hub.Send(ctx, Delivery{Type: envelopeType, Payload: raw, AcceptsResponsePayload: acceptsResponsePayload}, nil)
}

// Redeliver sends the same envelope again (same envelope_id and payload,
// retry_attempt+1, retry_reason "timeout"), as Slack does for Events API
// deliveries that were not acked, to test that the bot acts exactly once.
func (s *Server) Redeliver(ctx context.Context, d *Delivery) (*Delivery, error) {
	return s.hub.Redeliver(ctx, d)
}

// Deliveries returns every envelope sent so far (latest attempt of each),
// ordered by when that attempt was sent.
func (s *Server) Deliveries() []Delivery { return s.hub.Deliveries() }

// Acks returns every ack received, in arrival order.
func (s *Server) Acks() []Ack { return s.hub.Acks() }

// AcksFor returns the acks for one envelope_id, in arrival order.
func (s *Server) AcksFor(envelopeID string) []Ack { return s.hub.AcksFor(envelopeID) }

// WaitAck blocks until the envelope has been acked and returns the first ack.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	acks, err := s.WaitAcks(ctx, envelopeID, 1)
	if err != nil {
		return Ack{}, err
	}
	return acks[0], nil
}

// WaitAcks blocks until the envelope has at least n acks (e.g. 2 after a
// Redeliver) and returns them all.
func (s *Server) WaitAcks(ctx context.Context, envelopeID string, n int) ([]Ack, error) {
	var got []Ack
	err := s.Wait(ctx, func() bool {
		got = s.AcksFor(envelopeID)
		return len(got) >= n
	})
	return got, err
}

// applyAckLocked gives an ack the effect Slack gives it and returns why it
// had none, if so.
func (s *Server) applyAckLocked(d Delivery, tag any, payload json.RawMessage) string {
	switch {
	case d.Type == TypeSlashCommands:
		return s.applySlashAckLocked(slashOf(tag), payload)
	case d.ViewID != "":
		return s.applyViewAckLocked(d.ViewID, payload)
	}
	return "" // block_actions and events_api acks ignore any payload
}

// applySlashAckLocked turns {"text"/"blocks","response_type"} into the
// invoking user's ephemeral message, or a channel message for in_channel.
func (s *Server) applySlashAckLocked(d *slashAck, payload json.RawMessage) string {
	var body struct {
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		ResponseType string          `json:"response_type"`
	}
	if err := json.Unmarshal(payload, &body); err != nil {
		return "ack payload is not a JSON object: " + err.Error()
	}
	if body.Text == "" && blockkit.IsEmptyJSON(body.Blocks) {
		return "" // a bare ack: the user sees nothing
	}
	blocks, err := blockkit.Normalize(body.Blocks, blockkit.MaxMessageBlocks)
	if err != nil {
		return "invalid_blocks: " + err.Error()
	}
	m := s.addMessageLocked(Message{
		Channel: d.channel, Text: body.Text, Source: SourceSlashAck,
		Ephemeral: body.ResponseType != "in_channel", User: d.user,
	}, blocks)
	if u := s.responseURLs[d.responseURL]; u != nil && u.source == "" {
		u.source = m.key()
	}
	return ""
}

// sentLocked starts the clock of the envelope's trigger_id: a trigger's 3 s
// start when Slack sends it.
func (s *Server) sentLocked(d Delivery, _ any) {
	if t := s.triggers[d.TriggerID]; t != nil && d.RetryAttempt == 0 {
		t.issued = s.now()
	}
}

// ackExpiredLocked is what the user sees when a slash command is not acked
// in time: Slackbot's ephemeral "/cmd failed with the error "operation_timeout"".
func (s *Server) ackExpiredLocked(d Delivery, tag any) {
	if d.Type != TypeSlashCommands {
		return
	}
	slash := slashOf(tag)
	var cmd struct {
		Command string `json:"command"`
	}
	_ = json.Unmarshal(d.Payload, &cmd)
	s.addMessageLocked(Message{
		Channel: slash.channel, User: slash.user, Ephemeral: true, Author: SlackbotUserID, Source: SourceSlackError,
		Text: cmd.Command + ` failed with the error "operation_timeout"`,
	}, nil)
}
