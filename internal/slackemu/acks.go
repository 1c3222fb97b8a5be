package slackemu

import (
	"context"
	"encoding/json"
	"time"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/blockkit"
)

// maxAckSize is the size from which Slack silently drops an ack (slack-go
// refuses to send one this large, but a hand-rolled client might).
const maxAckSize = 20480

// Ack is one acknowledgement frame the bot sent back on a socket.
type Ack struct {
	EnvelopeID string
	// Type is the acknowledged envelope's type ("" if Unknown).
	Type string
	// Payload is the ack's "payload" field, nil when the ack carried none.
	Payload json.RawMessage
	// Received is when the frame arrived; Sent when the acknowledged attempt was written.
	Received, Sent time.Time
	// Attempt is the retry_attempt of the delivery this ack answered.
	Attempt int
	// Connection is the socket the ack came in on.
	Connection int
	// Late reports whether the ack arrived after Options.AckTimeout; Slack has
	// already shown the user an error by then and ignores its payload.
	Late bool
	// Duplicate reports a second ack for the same attempt (ignored by Slack).
	Duplicate bool
	// Unknown reports an ack whose envelope_id was never delivered.
	Unknown bool
	// Error says why the payload had no effect when Slack would have rejected
	// or dropped it (invalid blocks, oversized, bad response_action, …).
	Error string
}

// Latency is how long the bot took to ack (zero for Unknown acks).
func (a Ack) Latency() time.Duration {
	if a.Sent.IsZero() {
		return 0
	}
	return a.Received.Sub(a.Sent)
}

// recordAck handles one text frame from the bot.
func (s *Server) recordAck(connID int, data []byte, at time.Time) {
	var frame struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	a := Ack{Received: at, Connection: connID}
	if err := json.Unmarshal(data, &frame); err != nil {
		a.Unknown, a.Error = true, "unparseable frame: "+err.Error()
	} else {
		a.EnvelopeID = frame.EnvelopeID
		if len(frame.Payload) > 0 && string(frame.Payload) != "null" {
			a.Payload = frame.Payload
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notifyLocked()
	d := s.deliveries[a.EnvelopeID]
	switch {
	case a.Unknown:
	case d == nil:
		a.Unknown = true
	default:
		a.Type, a.Sent, a.Attempt = d.pub.Type, d.pub.Sent, d.pub.RetryAttempt
		switch {
		case d.acked:
			a.Duplicate = true
		case s.opts.AckTimeout > 0 && a.Latency() > s.opts.AckTimeout:
			d.acked, a.Late = true, true
			s.logf("late ack for %s after %v: payload ignored", a.EnvelopeID, a.Latency())
		case len(data) >= maxAckSize:
			d.acked, a.Error = true, "ack of 20 KB or more: Slack drops it silently"
		default:
			d.acked = true
			a.Error = s.applyAckLocked(d, a.Payload)
		}
	}
	if a.Error != "" {
		s.logf("ack %s: %s", a.EnvelopeID, a.Error)
	}
	s.acks = append(s.acks, a)
}

// applyAckLocked gives an ack (payload possibly nil) the effect Slack gives
// it and returns why it had none, if so.
func (s *Server) applyAckLocked(d *delivery, payload json.RawMessage) string {
	if payload == nil {
		payload = json.RawMessage("{}")
	}
	switch {
	case d.pub.Type == TypeSlashCommands:
		return s.applySlashAckLocked(d, payload)
	case d.viewID != "":
		return s.applyViewAckLocked(d.viewID, payload)
	}
	return "" // block_actions and events_api acks ignore any payload
}

// applySlashAckLocked turns {"text"/"blocks","response_type"} into the
// invoking user's ephemeral message, or a channel message for in_channel.
func (s *Server) applySlashAckLocked(d *delivery, payload json.RawMessage) string {
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

// armAckTimer schedules what the user sees when a slash command is not acked
// in time: Slackbot's ephemeral "/cmd failed with the error "operation_timeout"".
func (s *Server) armAckTimer(id string, attempt int) {
	if s.opts.AckTimeout <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.deliveries[id]
	if s.closed || d.pub.Type != TypeSlashCommands {
		return
	}
	if d.timer != nil {
		d.timer.Stop()
	}
	d.timer = time.AfterFunc(s.opts.AckTimeout, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed || d.acked || d.pub.RetryAttempt != attempt {
			return
		}
		var cmd struct {
			Command string `json:"command"`
		}
		_ = json.Unmarshal(d.pub.Payload, &cmd)
		s.addMessageLocked(Message{
			Channel: d.channel, User: d.user, Ephemeral: true, Author: SlackbotUserID, Source: SourceSlackError,
			Text: cmd.Command + ` failed with the error "operation_timeout"`,
		}, nil)
	})
}

// stopTimersLocked stops every pending ack timer (on Close).
func (s *Server) stopTimersLocked() {
	for _, d := range s.deliveries {
		if d.timer != nil {
			d.timer.Stop()
		}
	}
}

// Acks returns every ack received, in arrival order.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// AcksFor returns the acks for one envelope_id, in arrival order.
func (s *Server) AcksFor(envelopeID string) []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Ack
	for _, a := range s.acks {
		if a.EnvelopeID == envelopeID {
			out = append(out, a)
		}
	}
	return out
}

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
