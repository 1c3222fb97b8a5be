package app

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/metrics"
)

// failingAudit fails every write with err.
type failingAudit struct {
	pipeline.AuditLog
	err error
}

func (f failingAudit) Begin(context.Context, audit.Entry) error  { return f.err }
func (f failingAudit) Record(context.Context, audit.Entry) error { return f.err }
func (f failingAudit) Finish(context.Context, string, audit.Outcome, string, string) error {
	return f.err
}

// auditFailures reads cognito_bot_audit_write_failures_total{operation=op} from m.
func auditFailures(t *testing.T, m *metrics.Metrics, op string) float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "cognito_bot_audit_write_failures_total" {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetName() == "operation" && l.GetValue() == op {
					return s.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func TestAuditWriteFailuresAreCountedButRedeliveriesAreNot(t *testing.T) {
	m := metrics.New()
	down := meteredAudit{AuditLog: failingAudit{err: fmt.Errorf("beginning: %w", audit.ErrUnavailable)}, m: m}
	ctx := context.Background()
	if err := down.Begin(ctx, audit.Entry{}); !errors.Is(err, audit.ErrUnavailable) {
		t.Fatalf("the decorator changed the error: %v", err)
	}
	_ = down.Begin(ctx, audit.Entry{})
	_ = down.Finish(ctx, "id", audit.OutcomeOK, "", "")
	if got := auditFailures(t, m, "begin"); got != 2 {
		t.Errorf("begin failures = %v, want 2", got)
	}
	if got := auditFailures(t, m, "finish"); got != 1 {
		t.Errorf("finish failures = %v, want 1", got)
	}

	dup := meteredAudit{AuditLog: failingAudit{err: audit.ErrDuplicate}, m: m}
	_ = dup.Record(ctx, audit.Entry{})
	done := meteredAudit{AuditLog: failingAudit{err: audit.ErrAlreadyFinished}, m: m}
	_ = done.Finish(ctx, "id", audit.OutcomeOK, "", "")
	if got := auditFailures(t, m, "record"); got != 0 {
		t.Errorf("a duplicate counted as a failure: %v", got)
	}
	if got := auditFailures(t, m, "finish"); got != 1 {
		t.Errorf("an already-finished entry counted as a failure: finish = %v", got)
	}
}
