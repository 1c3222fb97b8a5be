// Package metrics makes a running cognito-bot observable: Prometheus metrics for
// Slack envelopes, acks, the Socket Mode connection, actions and their unknown
// outcomes, Cognito calls, throttles, limiter waits, audit write failures and
// latency, the work queue, bulk jobs and the build, and the /healthz and /readyz checks an
// orchestrator uses to restart a stuck pod or keep traffic off an unready one.
// Everything hangs off one Metrics value with its own registry, so tests and several
// bots in one process never share counters.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// namespace prefixes every metric name.
const namespace = "cognito_bot"

// Metrics holds every collector the bot exports, registered on Registry. Its methods
// implement bot.Observer.
type Metrics struct {
	// Registry is what /metrics serves: these collectors plus the Go runtime and
	// process collectors.
	Registry *prometheus.Registry

	envelopes     *prometheus.CounterVec
	ackLatency    prometheus.Histogram
	queueDepth    prometheus.Gauge
	turned        *prometheus.CounterVec
	actions       *prometheus.CounterVec
	cognitoCalls  *prometheus.CounterVec
	throttles     *prometheus.CounterVec
	limiterWait   *prometheus.HistogramVec
	jobWait       *prometheus.HistogramVec
	auditFailures *prometheus.CounterVec
	bulkProgress  *prometheus.GaugeVec

	// The operator signals of signals.go.
	buildInfo      *prometheus.GaugeVec
	socketUp       prometheus.Gauge
	auditWrite     *prometheus.HistogramVec
	outcomeUnknown *prometheus.CounterVec

	// Health is updated by the same observer calls and serves /healthz and /readyz.
	Health *Health
}

// New builds the collectors on a fresh registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "envelopes_total",
			Help: "Socket Mode envelopes received from Slack, by type.",
		}, []string{"type"}),
		ackLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "ack_latency_seconds",
			Help: "Time from receiving an envelope to acking it; Slack gives up after 3 s.",
			// Acks take well under a millisecond when healthy; the top buckets
			// bracket Slack's 3 s deadline.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5},
		}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "queue_depth",
			Help: "Acked envelopes waiting for a free handler.",
		}),
		turned: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "turned_away_total",
			Help: "Interactions refused before any work: rate (one person's flood) or busy (queue full).",
		}, []string{"reason"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "actions_total",
			Help: "Action attempts through the pipeline, by action and result (ok, denied, error, …).",
		}, []string{"action", "result"}),
		cognitoCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "cognito_calls_total",
			Help: "Cognito API calls after retries, by operation and result (ok or the AWS error code).",
		}, []string{"operation", "result"}),
		throttles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "cognito_throttles_total",
			Help: "Cognito attempts refused for exceeding a quota (each retry counts), by operation.",
		}, []string{"operation"}),
		limiterWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "cognito_limiter_wait_seconds",
			Help:    "Time a Cognito call waited for the client-side rate limiter, by quota category.",
			Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"category"}),
		jobWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "bulk_limiter_wait_seconds",
			Help:    "Time a bulk job's, export's or long check's Cognito call waited for its job limiter (the quota less the interactive reserve, halved on throttling), by quota category.",
			Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"category"}),
		auditFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "audit_write_failures_total",
			Help: "Audit log writes that failed (the action was refused or its outcome is unrecorded), by operation.",
		}, []string{"operation"}),
		bulkProgress: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Name: "bulk_job_items",
			Help: "Items of running bulk jobs, by job id and state (total, done, failed, skipped).",
		}, []string{"job", "state"}),
		Health: NewHealth(HeartbeatTimeout, time.Now),
	}
	m.newSignals()
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.envelopes, m.ackLatency, m.queueDepth, m.turned, m.actions, m.cognitoCalls,
		m.throttles, m.limiterWait, m.jobWait, m.auditFailures, m.bulkProgress,
		m.buildInfo, m.socketUp, m.auditWrite, m.outcomeUnknown,
	)
	return m
}

// EnvelopeReceived counts one envelope by type.
func (m *Metrics) EnvelopeReceived(kind string) { m.envelopes.WithLabelValues(kind).Inc() }

// Acked records the envelope-to-ack latency.
func (m *Metrics) Acked(wait time.Duration) { m.ackLatency.Observe(wait.Seconds()) }

// QueueDepth records how many acked envelopes wait for a handler.
func (m *Metrics) QueueDepth(n int) { m.queueDepth.Set(float64(n)) }

// Turned counts an interaction refused before any work, by reason ("rate", "busy").
func (m *Metrics) Turned(reason string) { m.turned.WithLabelValues(reason).Inc() }

// StepDone counts one pipeline step (an action attempt) by action and result.
func (m *Metrics) StepDone(action, result string) {
	m.actions.WithLabelValues(action, result).Inc()
}

// Heartbeat marks the event loop alive.
func (m *Metrics) Heartbeat() { m.Health.Beat() }

// Connected records whether the Socket Mode connection is up, for readiness and
// the socket_connected gauge.
func (m *Metrics) Connected(up bool) {
	m.Health.SetConnected(up)
	if up {
		m.socketUp.Set(1)
	} else {
		m.socketUp.Set(0)
	}
}

// LimiterWaited records how long a Cognito call waited for its quota category's
// rate limiter. Its signature matches awsdir.Options.OnLimiterWait.
func (m *Metrics) LimiterWaited(category string, waited time.Duration) {
	m.limiterWait.WithLabelValues(category).Observe(waited.Seconds())
}

// JobLimiterWaited records how long a job's Cognito call waited for its job
// limiter. Its signature matches bot.Config.OnJobLimiterWait.
func (m *Metrics) JobLimiterWaited(category string, waited time.Duration) {
	m.jobWait.WithLabelValues(category).Observe(waited.Seconds())
}

// AuditWriteFailed counts one failed audit write (begin, finish or record).
func (m *Metrics) AuditWriteFailed(operation string) {
	m.auditFailures.WithLabelValues(operation).Inc()
}

// BulkProgress sets the item counts of a running bulk job; BulkDone follows when it
// ends so finished jobs do not linger as series.
func (m *Metrics) BulkProgress(job string, total, done, failed, skipped int) {
	m.bulkProgress.WithLabelValues(job, "total").Set(float64(total))
	m.bulkProgress.WithLabelValues(job, "done").Set(float64(done))
	m.bulkProgress.WithLabelValues(job, "failed").Set(float64(failed))
	m.bulkProgress.WithLabelValues(job, "skipped").Set(float64(skipped))
}

// BulkDone removes a finished bulk job's series.
func (m *Metrics) BulkDone(job string) {
	m.bulkProgress.DeletePartialMatch(prometheus.Labels{"job": job})
}
