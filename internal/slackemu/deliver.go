package slackemu

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

// delivery is the emulator's record of an envelope: the latest attempt plus
// what an ack payload should do.
type delivery struct {
	pub   Delivery
	acked bool // the latest attempt has been acked
	// ack effects
	channel, user string      // slash command: where the ack's message goes
	responseURL   string      // slash command: response_url key to bind to the ack's message
	viewID        string      // view_submission: the view the ack acts on
	timer         *time.Timer // slash commands: fires the operation_timeout reply
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

// Deliver sends an arbitrary envelope (e.g. an events_api event_callback) and
// returns what was sent. The higher-level injections build payloads for you.
func (s *Server) Deliver(ctx context.Context, envelopeType string, payload any, acceptsResponsePayload bool) (*Delivery, error) {
	raw, err := toRaw(payload)
	if err != nil {
		return nil, err
	}
	return s.enqueue(ctx, &delivery{pub: Delivery{
		EnvelopeID: newEnvelopeID(), Type: envelopeType, Payload: raw,
		AcceptsResponsePayload: acceptsResponsePayload,
	}})
}

// Redeliver sends the same envelope again (same envelope_id and payload,
// retry_attempt+1, retry_reason "timeout"), as Slack does for Events API
// deliveries that were not acked, to test that the bot acts exactly once.
func (s *Server) Redeliver(ctx context.Context, d *Delivery) (*Delivery, error) {
	s.mu.Lock()
	rec := s.deliveries[d.EnvelopeID]
	if rec == nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("slackemu: no delivery with envelope_id %q", d.EnvelopeID)
	}
	rec.pub.RetryAttempt++
	rec.pub.RetryReason = "timeout"
	s.mu.Unlock()
	return s.send(ctx, d.EnvelopeID)
}

// enqueue registers a new delivery and sends it.
func (s *Server) enqueue(ctx context.Context, d *delivery) (*Delivery, error) {
	s.mu.Lock()
	s.deliveries[d.pub.EnvelopeID] = d
	s.mu.Unlock()
	return s.send(ctx, d.pub.EnvelopeID)
}

// send writes the delivery's latest attempt to the next socket round-robin.
// With no socket open it waits for one until ctx ends; real Slack would fail
// the user's action at once ("dispatch_failed"), but tests are easier to write
// when an injection made during a reconnect simply lands on the new socket.
func (s *Server) send(ctx context.Context, id string) (*Delivery, error) {
	for {
		c, wait, err := s.pickConn()
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
		s.mu.Lock()
		d := s.deliveries[id]
		d.pub.Sent, d.pub.Connection, d.acked = time.Now(), c.id, false
		if t := s.triggers[d.pub.TriggerID]; t != nil && d.pub.RetryAttempt == 0 {
			t.issued = s.now() // a trigger's 3 s start when Slack sends it
		}
		pub := d.pub
		s.notifyLocked()
		s.mu.Unlock()
		if err := c.writeText(pub.frame()); err != nil {
			s.dropConn(c)
			continue
		}
		s.armAckTimer(id, pub.RetryAttempt)
		return &pub, nil
	}
}

// Deliveries returns every envelope sent so far (latest attempt of each),
// ordered by when that attempt was sent.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	out := make([]Delivery, 0, len(s.deliveries))
	for _, d := range s.deliveries {
		if !d.pub.Sent.IsZero() {
			out = append(out, d.pub)
		}
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Sent.Before(out[j].Sent) })
	return out
}

func toRaw(v any) (json.RawMessage, error) {
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
