package bot

import "time"

// Observer is told what the bot is doing, so an operator can see it: the metrics
// package implements it for Prometheus and the health checks. Every method must
// return at once; they are called from the event loop. A nil Observer in Config
// means nobody is watching.
type Observer interface {
	// Envelope counts one envelope received from Slack, by socketmode event type.
	Envelope(kind string)
	// Acked reports how long an envelope waited between arrival and its ack.
	Acked(kind string, latency time.Duration)
	// Queued moves the number of acked envelopes waiting for a free handler by delta.
	Queued(delta int)
	// ActionFinished counts one action by its name and outcome.
	ActionFinished(action, outcome string)
	// Heartbeat says the event loop is alive; it is called at least every HeartbeatInterval.
	Heartbeat()
	// Connected says whether the Socket Mode connection is up.
	Connected(up bool)
}

// HeartbeatInterval is how often the event loop calls Observer.Heartbeat while idle;
// a liveness check may declare the loop stuck after a few missed beats.
const HeartbeatInterval = 5 * time.Second

// nopObserver is the Observer of a bot nobody watches.
type nopObserver struct{}

func (nopObserver) Envelope(string)               {}
func (nopObserver) Acked(string, time.Duration)   {}
func (nopObserver) Queued(int)                    {}
func (nopObserver) ActionFinished(string, string) {}
func (nopObserver) Heartbeat()                    {}
func (nopObserver) Connected(bool)                {}

// observer returns the bot's Observer, a no-op one for a Bot built without New.
func (b *Bot) observer() Observer {
	if b.obs == nil {
		return nopObserver{}
	}
	return b.obs
}
