package pipeline

// Causes of an unknown outcome, as UnknownObserver reports them.
const (
	// CauseLostAnswer: the Cognito call was sent but its answer was lost (a
	// timeout, a cut connection, a 5xx), so it may or may not have been applied.
	CauseLostAnswer = "lost_answer"
	// CauseAbandoned: the bot (or a bulk runner) stopped between the audit intent
	// and the outcome; the sweeper or the job's next runner closed it.
	CauseAbandoned = "abandoned"
)

// UnknownObserver is an optional extension of Observer, told each time an
// action's outcome is recorded as unknown: someone has to look at that user, so
// operators count and alert on it. It is asked for by type assertion, so an
// Observer without it counts nothing more.
type UnknownObserver interface {
	OutcomeUnknown(cause string)
}

// unknown tells the observer, if it listens, that an outcome is unknown.
func (p *Pipeline) unknown(cause string) {
	if u, ok := p.observer.(UnknownObserver); ok {
		u.OutcomeUnknown(cause)
	}
}
