package socket

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Envelope types, as in the "type" field of a Socket Mode envelope.
const (
	TypeSlashCommands = "slash_commands"
	TypeInteractive   = "interactive"
	TypeEventsAPI     = "events_api"
)

// Delivery describes one envelope sent to the bot, as returned by the
// injection methods. It is a snapshot: Redeliver returns a new one.
type Delivery struct {
	EnvelopeID             string
	Type                   string
	Payload                json.RawMessage
	AcceptsResponsePayload bool
	RetryAttempt           int
	RetryReason            string
	// TriggerID and ResponseURL are the follow-up handles in the payload, if any.
	TriggerID   string
	ResponseURL string
	// ViewID is the submitted view, for view_submission deliveries.
	ViewID string
	// Connection is the ID of the socket the envelope was written to.
	Connection int
	// Sent is when the envelope was written (real time; ack latency is measured from it).
	Sent time.Time
}

// record is the Hub's record of an envelope: the latest attempt, the
// emulator's tag for it, and its ack state.
type record struct {
	pub   Delivery
	tag   any         // given to Send; handed back to the hooks
	acked bool        // the latest attempt has been acked
	timer *time.Timer // fires ExpiredLocked when the attempt is not acked in time
}

type envelopeFrame struct {
	EnvelopeID             string          `json:"envelope_id"`
	Payload                json.RawMessage `json:"payload"`
	Type                   string          `json:"type"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           *int            `json:"retry_attempt,omitempty"`
	RetryReason            *string         `json:"retry_reason,omitempty"`
}

func (d Delivery) frame() []byte {
	f := envelopeFrame{
		EnvelopeID: d.EnvelopeID, Payload: d.Payload, Type: d.Type,
		AcceptsResponsePayload: d.AcceptsResponsePayload,
	}
	// Slack sends the retry fields on Events API envelopes; on others only when retrying.
	if d.Type == TypeEventsAPI || d.RetryAttempt > 0 {
		f.RetryAttempt, f.RetryReason = &d.RetryAttempt, &d.RetryReason
	}
	return marshal(f)
}

// Redeliver sends the same envelope again (same envelope_id and payload,
// retry_attempt+1, retry_reason "timeout"), as Slack does for Events API
// deliveries that were not acked, to test that the bot acts exactly once.
func (h *Hub) Redeliver(ctx context.Context, d *Delivery) (*Delivery, error) {
	h.cfg.Lock.Lock()
	rec := h.deliveries[d.EnvelopeID]
	if rec == nil {
		h.cfg.Lock.Unlock()
		return nil, fmt.Errorf("slackemu: no delivery with envelope_id %q", d.EnvelopeID)
	}
	rec.pub.RetryAttempt++
	rec.pub.RetryReason = "timeout"
	h.cfg.Lock.Unlock()
	return h.send(ctx, d.EnvelopeID)
}

// Send registers a new envelope (an empty EnvelopeID gets a fresh one) and
// writes it to the next open socket. tag is the emulator's own note on it,
// handed back to the hooks.
func (h *Hub) Send(ctx context.Context, d Delivery, tag any) (*Delivery, error) {
	if d.EnvelopeID == "" {
		d.EnvelopeID = NewEnvelopeID()
	}
	h.cfg.Lock.Lock()
	h.deliveries[d.EnvelopeID] = &record{pub: d, tag: tag}
	h.cfg.Lock.Unlock()
	return h.send(ctx, d.EnvelopeID)
}

// send writes the delivery's latest attempt to the next socket round-robin.
// With no socket open it waits for one until ctx ends; real Slack would fail
// the user's action at once ("dispatch_failed"), but tests are easier to write
// when an injection made during a reconnect simply lands on the new socket.
func (h *Hub) send(ctx context.Context, id string) (*Delivery, error) {
	for {
		c, wait, err := h.pickConn()
		if err != nil {
			return nil, err
		}
		if c == nil {
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, fmt.Errorf("slackemu: no socket open (Slack would report dispatch_failed): %w", ctx.Err())
			}
		}
		h.cfg.Lock.Lock()
		d := h.deliveries[id]
		d.pub.Sent, d.pub.Connection, d.acked = time.Now(), c.id, false
		if h.cfg.SentLocked != nil {
			h.cfg.SentLocked(d.pub, d.tag)
		}
		pub := d.pub
		h.cfg.NotifyLocked()
		h.cfg.Lock.Unlock()
		if err := c.writeText(pub.frame()); err != nil {
			h.dropConn(c)
			continue
		}
		h.armAckTimer(id, pub.RetryAttempt)
		return &pub, nil
	}
}

// Deliveries returns every envelope sent so far (latest attempt of each),
// ordered by when that attempt was sent.
func (h *Hub) Deliveries() []Delivery {
	h.cfg.Lock.Lock()
	out := make([]Delivery, 0, len(h.deliveries))
	for _, d := range h.deliveries {
		if !d.pub.Sent.IsZero() {
			out = append(out, d.pub)
		}
	}
	h.cfg.Lock.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Sent.Before(out[j].Sent) })
	return out
}

// ToRaw is a payload as JSON: raw JSON bytes or strings as they are, any
// other value marshalled (without HTML escaping).
func ToRaw(v any) (json.RawMessage, error) {
	switch p := v.(type) {
	case json.RawMessage:
		return p, nil
	case []byte:
		return p, nil
	case string:
		return json.RawMessage(p), nil
	}
	b := marshal(v)
	if b == nil {
		return nil, fmt.Errorf("slackemu: payload does not marshal to JSON")
	}
	return b, nil
}
