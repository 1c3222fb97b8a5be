package bot

import "time"

// Observer is told what the bot is doing, for metrics. Calls are made on the hot
// path (the event loop acks in between), so implementations must not block.
type Observer interface {
	// EnvelopeReceived counts an envelope by type (slash_commands, interactive, …).
	EnvelopeReceived(kind string)
	// Acked reports how long an envelope waited for its ack.
	Acked(wait time.Duration)
	// QueueDepth reports envelopes acked but not yet being worked on.
	QueueDepth(n int)
	// Turned counts interactions refused before any work: "rate" (one person's
	// flood) or "busy" (the queue is full).
	Turned(reason string)
	// StepDone counts pipeline steps by action and result.
	StepDone(action, result string)
}

// noObserver is the default: metrics off.
type noObserver struct{}

func (noObserver) EnvelopeReceived(string) {}
func (noObserver) Acked(time.Duration)     {}
func (noObserver) QueueDepth(int)          {}
func (noObserver) Turned(string)           {}
func (noObserver) StepDone(string, string) {}
