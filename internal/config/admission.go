package config

// Defaults of slack.per_user: a person may send 8 requests at once and 2 a
// second after that; up to 20 more wait their turn and are answered late.
const (
	DefaultPerUserRate  = 2.0
	DefaultPerUserBurst = 8
	DefaultPerUserQueue = 20
)

// Admission bounds how fast one person's requests are taken on, so that one
// person's burst delays nobody else: past Burst at Rate a second, requests
// wait in the person's own queue of Queue and are answered late; only a
// request beyond that queue is turned away, and the person is told.
type Admission struct {
	// Rate is requests a second, after the burst.
	Rate float64 `yaml:"rate"`
	// Burst is how many requests are taken on at once.
	Burst int `yaml:"burst"`
	// Queue is how many more wait in the person's own queue.
	Queue int `yaml:"queue"`
}

func (a *Admission) applyDefaults(unset func(key string, zero bool) bool) {
	if unset("slack.per_user.rate", a.Rate == 0) {
		a.Rate = DefaultPerUserRate
	}
	if unset("slack.per_user.burst", a.Burst == 0) {
		a.Burst = DefaultPerUserBurst
	}
	if unset("slack.per_user.queue", a.Queue == 0) {
		a.Queue = DefaultPerUserQueue
	}
}

func (a Admission) validate(p *Problems) {
	if a.Rate <= 0 {
		p.add("slack.per_user.rate", "must be a positive number of requests per second")
	}
	if a.Burst < 1 {
		p.add("slack.per_user.burst", "must be at least 1")
	}
	if a.Queue < 1 {
		p.add("slack.per_user.queue", "must be at least 1")
	}
}
