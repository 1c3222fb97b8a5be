package sandbox

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
)

// recentLog is an audit log that can list its newest entries.
type recentLog interface {
	Recent(limit int) []audit.Entry
}

// auditTap passes every audit write through to the real log and keeps a copy
// of what was written, so the page's audit panel shows each entry the moment
// it is written and updates it when its outcome is recorded, whichever store
// (in memory or DynamoDB) is behind it.
type auditTap struct {
	pipeline.AuditLog
	mu      sync.Mutex
	entries []audit.Entry // oldest first, at most keep
	keep    int
	now     func() time.Time
}

func newAuditTap(log pipeline.AuditLog, keep int, now func() time.Time) *auditTap {
	return &auditTap{AuditLog: log, keep: keep, now: now}
}

// Begin writes an intent and, once it is stored, shows it as pending.
func (t *auditTap) Begin(ctx context.Context, e audit.Entry) error {
	if err := t.AuditLog.Begin(ctx, e); err != nil {
		return err
	}
	e.Outcome = audit.OutcomePending
	if e.Decision == "" {
		e.Decision = audit.Allowed
	}
	t.add(e)
	return nil
}

// Record writes a single-phase entry and shows it.
func (t *auditTap) Record(ctx context.Context, e audit.Entry) error {
	if err := t.AuditLog.Record(ctx, e); err != nil {
		return err
	}
	t.add(e)
	return nil
}

// Finish records an outcome and updates the shown entry.
func (t *auditTap) Finish(ctx context.Context, id string, outcome audit.Outcome, message, requestID string) error {
	if err := t.AuditLog.Finish(ctx, id, outcome, message, requestID); err != nil {
		return err
	}
	t.finished(id, outcome, message)
	return nil
}

// FinishResolved records an outcome with the target as finally resolved.
func (t *auditTap) FinishResolved(ctx context.Context, id string, outcome audit.Outcome, message, requestID string, resolved audit.Target) error {
	if err := t.AuditLog.FinishResolved(ctx, id, outcome, message, requestID, resolved); err != nil {
		return err
	}
	t.finished(id, outcome, message)
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range t.entries {
		if t.entries[i].ID == id {
			t.entries[i].Target = resolved
		}
	}
	return nil
}

func (t *auditTap) finished(id string, outcome audit.Outcome, message string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range t.entries {
		if t.entries[i].ID == id {
			t.entries[i].Outcome, t.entries[i].Message, t.entries[i].FinishedAt = outcome, message, t.now().UTC()
		}
	}
}

func (t *auditTap) add(e audit.Entry) {
	if e.Time.IsZero() {
		e.Time = t.now().UTC()
	}
	// The log redacts secret-looking parameters when it stores them; the panel
	// must not show more than the log keeps.
	if len(e.Params) > 0 {
		p := make(map[string]string, len(e.Params))
		for k, v := range e.Params {
			if secretKey(k) {
				v = "[redacted]"
			}
			p[k] = v
		}
		e.Params = p
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.entries = append(t.entries, e)
	if len(t.entries) > t.keep {
		t.entries = t.entries[len(t.entries)-t.keep:]
	}
}

// Recent returns up to limit entries, newest first.
func (t *auditTap) Recent(limit int) []audit.Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]audit.Entry, 0, min(limit, len(t.entries)))
	for i := len(t.entries) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, t.entries[i])
	}
	return out
}

func secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"password", "passwd", "token", "secret", "code"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}
