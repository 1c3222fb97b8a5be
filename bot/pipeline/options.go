package pipeline

import "time"

// Option changes one of the pipeline's timings from what production uses.
// Tests pass them to see in milliseconds what production spreads over
// seconds; the bot passes none.
type Option func(*Pipeline)

// FinishRetry is how an outcome write is tried again while the audit log is
// unreachable: after First, then doubling up to Max between tries, giving up
// once For has passed since the first failure.
type FinishRetry struct {
	For, First, Max time.Duration
}

// DefaultFinishRetry is production's: three seconds ride out a short DynamoDB
// outage (a throttled burst, a failover) without holding a worker, or a
// shutdown's drain, long on a store that is gone; the intent is then left to
// the sweeper.
var DefaultFinishRetry = FinishRetry{For: 3 * time.Second, First: 50 * time.Millisecond, Max: 500 * time.Millisecond}

// WithFinishRetry sets how outcome writes are retried (DefaultFinishRetry
// when not given). Its use is tests of the retry itself, which would
// otherwise wait the production seconds on a store that stays down.
func WithFinishRetry(r FinishRetry) Option {
	return func(p *Pipeline) { p.retry = r }
}
