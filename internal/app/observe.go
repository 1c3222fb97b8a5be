package app

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/metrics"
)

// The metrics package must keep satisfying the bot's Observer.
var _ bot.Observer = (*metrics.Metrics)(nil)

// The metrics package must hear about unknown outcomes from the pipeline.
var _ pipeline.UnknownObserver = (*metrics.Metrics)(nil)

// meteredAudit times every audit write and counts the failed ones. A duplicate (a
// redelivery already recorded) or an entry already finished is the log doing its
// job, not a failure.
type meteredAudit struct {
	pipeline.AuditLog
	m *metrics.Metrics
}

// write runs one audit write, timing it and counting its failure.
func (a meteredAudit) write(op string, do func() error) error {
	start := time.Now()
	err := do()
	a.m.AuditWritten(op, time.Since(start))
	if err != nil && !errors.Is(err, audit.ErrDuplicate) && !errors.Is(err, audit.ErrAlreadyFinished) {
		a.m.AuditWriteFailed(op)
	}
	return err
}

// Begin records an intent.
func (a meteredAudit) Begin(ctx context.Context, e audit.Entry) error {
	return a.write("begin", func() error { return a.AuditLog.Begin(ctx, e) })
}

// Record writes a single-phase entry.
func (a meteredAudit) Record(ctx context.Context, e audit.Entry) error {
	return a.write("record", func() error { return a.AuditLog.Record(ctx, e) })
}

// Finish records an outcome.
func (a meteredAudit) Finish(ctx context.Context, id string, o audit.Outcome, msg, requestID string) error {
	return a.write("finish", func() error { return a.AuditLog.Finish(ctx, id, o, msg, requestID) })
}

// FinishResolved records an outcome with the user it resolved to.
func (a meteredAudit) FinishResolved(ctx context.Context, id string, o audit.Outcome, msg, requestID string, resolved audit.Target) error {
	return a.write("finish", func() error { return a.AuditLog.FinishResolved(ctx, id, o, msg, requestID, resolved) })
}

// storeCheckInterval is how often readiness re-checks both DynamoDB tables.
const storeCheckInterval = 30 * time.Second

// storeTable is a table readiness checks, with the role /readyz names it by.
type storeTable struct {
	Role string // "audit table", "state table"
	Name string
}

// watchTables describes both tables now and every storeCheckInterval until ctx ends,
// feeding /readyz: a replica that cannot reach its audit log refuses every action,
// so it should not look ready. /readyz names only the table's role ("audit table
// unreachable"); what AWS said (role ARNs, the account id) goes to the log.
func watchTables(ctx context.Context, awsCfg aws.Config, tables []storeTable, h *metrics.Health, log *zap.Logger) {
	ddb := dynamodb.NewFromConfig(awsCfg)
	check := func() {
		var down []string
		for _, t := range tables {
			cctx, cancel := context.WithTimeout(ctx, checkTimeout)
			if f := checkTable(cctx, ddb, t.Role, t.Name); f != nil {
				down = append(down, t.Role)
				if ctx.Err() == nil {
					log.Warn("DynamoDB check failed; reporting not ready", zap.String("table", t.Name), zap.String("problem", f.String()))
				}
			}
			cancel()
		}
		h.SetStoreCheck(down...)
	}
	check()
	tick := time.NewTicker(storeCheckInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			check()
		}
	}
}

// withCognitoMetrics returns a copy of awsCfg whose clients report every call,
// result and throttle to m.
func withCognitoMetrics(awsCfg aws.Config, m *metrics.Metrics) aws.Config {
	c := awsCfg.Copy()
	c.APIOptions = append(c.APIOptions, m.CognitoAPIOptions()...)
	return c
}
