package metrics

import (
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// newSignals builds the collectors operators alert on beyond traffic: which build
// runs, whether Slack's socket is up, how fast the audit log is written and how
// many actions ended with an outcome nobody knows.
func (m *Metrics) newSignals() {
	m.buildInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info",
		Help: "Always 1, labelled with the running version and Go version: a rollout in progress shows two.",
	}, []string{"version", "go"})
	m.socketUp = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "socket_connected",
		Help: "1 while the Socket Mode connection to Slack is up, 0 otherwise (commands and clicks cannot arrive).",
	})
	m.auditWrite = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "audit_write_seconds",
		Help: "Time an audit log write took (begin, record, finish), failed or not; every action waits for its begin.",
		// DynamoDB answers in single-digit milliseconds; the top buckets bracket
		// the pipeline's own timeouts.
		Buckets: []float64{.0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"operation"})
	m.outcomeUnknown = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "outcome_unknown_total",
		Help: "Actions recorded with an unknown outcome, by cause: lost_answer (Cognito's answer was lost) or abandoned (the bot stopped mid-action; closed by the sweeper or a job's next runner). Each needs a person to check the user.",
	}, []string{"cause"})
	// Both causes exist from the start at 0, so rate() and increase() see the first one.
	for _, cause := range []string{"lost_answer", "abandoned"} {
		m.outcomeUnknown.WithLabelValues(cause)
	}
	m.socketUp.Set(0)
}

// SetBuildInfo publishes the running version (and the Go version it was built with).
func (m *Metrics) SetBuildInfo(version string) {
	m.buildInfo.Reset()
	m.buildInfo.WithLabelValues(version, runtime.Version()).Set(1)
}

// AuditWritten records how long one audit log write took.
func (m *Metrics) AuditWritten(operation string, took time.Duration) {
	m.auditWrite.WithLabelValues(operation).Observe(took.Seconds())
}

// OutcomeUnknown counts an action whose outcome was recorded as unknown. Its
// signature matches pipeline.UnknownObserver.
func (m *Metrics) OutcomeUnknown(cause string) {
	m.outcomeUnknown.WithLabelValues(cause).Inc()
}
