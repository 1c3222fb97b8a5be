package audit

import "time"

// Option configures a Log or a state.Store. Both constructors accept the same options;
// an option that does not apply to one of them is ignored there.
type Option func(*Settings)

// Settings are the options in effect, as a Log and the state package's stores read
// them: one type, so both sides of the bot agree on the clock and the timeouts.
type Settings struct {
	now func() time.Time
	// PendingRetention is how long a pending action is kept after its deadline.
	PendingRetention time.Duration
	// ExecutingTimeout is how long an action may stay EXECUTING before it counts as stuck.
	ExecutingTimeout time.Duration
	// StartHold is how long a job just started is left to the replica that
	// started it before any other may run it.
	StartHold time.Duration
}

// defaultPendingRetention is how long a pending action stays readable after its deadline,
// so a late click can still be told who approved it; the TTL sweep removes it afterwards.
const defaultPendingRetention = 7 * 24 * time.Hour

// defaultExecutingTimeout is how long an action may stay EXECUTING before a sweeper
// presumes the bot running it died; far longer than any one Cognito call with retries.
const defaultExecutingTimeout = 5 * time.Minute

// defaultStartHold leaves a job just started to its starter long enough to post
// its progress message and record where it is, which takes a few Slack and
// DynamoDB calls; only a replica that dies first makes the job wait it out.
const defaultStartHold = 5 * time.Second

// SettingsOf applies opts to the defaults.
func SettingsOf(opts []Option) Settings {
	o := Settings{now: time.Now, PendingRetention: defaultPendingRetention, ExecutingTimeout: defaultExecutingTimeout, StartHold: defaultStartHold}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// WithClock replaces time.Now, so tests can stamp entries deterministically and move a
// state.Store past a pending action's deadline without sleeping.
func WithClock(now func() time.Time) Option {
	return func(o *Settings) {
		if now != nil {
			o.now = now
		}
	}
}

// WithPendingRetention sets how long a state.Store keeps a pending action after its deadline
// (default 7 days) before DynamoDB's TTL sweep may delete it. Keeping it past the
// deadline lets a late button click still see the final state and who decided.
func WithPendingRetention(d time.Duration) Option {
	return func(o *Settings) {
		if d > 0 {
			o.PendingRetention = d
		}
	}
}

// WithExecutingTimeout sets how long a state.Store lets an action stay EXECUTING before
// StuckExecuting reports it (default 5 minutes).
func WithExecutingTimeout(d time.Duration) Option {
	return func(o *Settings) {
		if d > 0 {
			o.ExecutingTimeout = d
		}
	}
}

// WithStartHold sets how long a job just started is its starter's alone (default 5 s):
// until then no replica's poll lists it, so the starter records its progress message
// before the job can run. Tests of the runner alone, which post no message, set 0.
func WithStartHold(d time.Duration) Option {
	return func(o *Settings) {
		if d >= 0 {
			o.StartHold = d
		}
	}
}

// Clock returns the current time in UTC, by the configured clock.
func (o Settings) Clock() time.Time { return o.now().UTC() }
