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
	// Heartbeat says the event loop is alive; it comes at least every
	// transport.HeartbeatInterval, idle or not, so a liveness check can spot a stuck loop.
	Heartbeat()
	// Connected says whether the Socket Mode connection is up, for readiness.
	Connected(up bool)
	// BulkProgress reports a running bulk job's item counts each time its
	// progress message is updated, so a stalled or failing job shows on a dashboard.
	BulkProgress(job string, total, done, failed, skipped int)
	// BulkDone says a bulk job ended on this replica, or this replica stopped
	// running it, so its series can go.
	BulkDone(job string)
}

// noObserver is the default: metrics off.
type noObserver struct{}

func (noObserver) EnvelopeReceived(string)                 {}
func (noObserver) Acked(time.Duration)                     {}
func (noObserver) QueueDepth(int)                          {}
func (noObserver) Turned(string)                           {}
func (noObserver) StepDone(string, string)                 {}
func (noObserver) Heartbeat()                              {}
func (noObserver) Connected(bool)                          {}
func (noObserver) BulkProgress(string, int, int, int, int) {}
func (noObserver) BulkDone(string)                         {}
