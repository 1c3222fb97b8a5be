package socket

import (
	"encoding/json"
	"time"
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
func (h *Hub) recordAck(connID int, data []byte, at time.Time) {
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

	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	defer h.cfg.NotifyLocked()
	d := h.deliveries[a.EnvelopeID]
	switch {
	case a.Unknown:
	case d == nil:
		a.Unknown = true
	default:
		a.Type, a.Sent, a.Attempt = d.pub.Type, d.pub.Sent, d.pub.RetryAttempt
		switch {
		case d.acked:
			a.Duplicate = true
		case h.cfg.AckTimeout > 0 && a.Latency() > h.cfg.AckTimeout:
			d.acked, a.Late = true, true
			h.logf("late ack for %s after %v: payload ignored", a.EnvelopeID, a.Latency())
		case len(data) >= maxAckSize:
			d.acked, a.Error = true, "ack of 20 KB or more: Slack drops it silently"
		default:
			d.acked = true
			payload := a.Payload
			if payload == nil {
				payload = json.RawMessage("{}")
			}
			a.Error = h.cfg.ApplyAckLocked(d.pub, d.tag, payload)
		}
	}
	if a.Error != "" {
		h.logf("ack %s: %s", a.EnvelopeID, a.Error)
	}
	h.acks = append(h.acks, a)
}

// armAckTimer calls ExpiredLocked when the attempt gets no ack within
// AckTimeout (for a slash command, Slackbot then tells the user
// "operation_timeout").
func (h *Hub) armAckTimer(id string, attempt int) {
	if h.cfg.AckTimeout <= 0 || h.cfg.ExpiredLocked == nil {
		return
	}
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	d := h.deliveries[id]
	if h.closed {
		return
	}
	if d.timer != nil {
		d.timer.Stop()
	}
	d.timer = time.AfterFunc(h.cfg.AckTimeout, func() {
		h.cfg.Lock.Lock()
		defer h.cfg.Lock.Unlock()
		if h.closed || d.acked || d.pub.RetryAttempt != attempt {
			return
		}
		h.cfg.ExpiredLocked(d.pub, d.tag)
	})
}

// Acks returns every ack received, in arrival order.
func (h *Hub) Acks() []Ack {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	return append([]Ack(nil), h.acks...)
}

// AcksFor returns the acks for one envelope_id, in arrival order.
func (h *Hub) AcksFor(envelopeID string) []Ack {
	h.cfg.Lock.Lock()
	defer h.cfg.Lock.Unlock()
	var out []Ack
	for _, a := range h.acks {
		if a.EnvelopeID == envelopeID {
			out = append(out, a)
		}
	}
	return out
}
