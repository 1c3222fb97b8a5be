package pipeline

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// outageLog is an audit log whose outcome writes meet an outage: the first
// fails calls to Finish answer ErrUnavailable; with lostAnswers the write is
// made before the error, as when DynamoDB's answer is lost on the way back.
type outageLog struct {
	AuditLog
	mu          sync.Mutex
	fails       int
	lostAnswers bool
	calls       int
}

func (l *outageLog) Finish(ctx context.Context, id string, o audit.Outcome, msg, rid string) error {
	l.mu.Lock()
	l.calls++
	failing := l.calls <= l.fails
	l.mu.Unlock()
	if !failing {
		return l.AuditLog.Finish(ctx, id, o, msg, rid)
	}
	if l.lostAnswers {
		_ = l.AuditLog.Finish(ctx, id, o, msg, rid)
	}
	return audit.ErrUnavailable
}

func runDisable(t *testing.T, log AuditLog, retry FinishRetry) Outcome {
	t.Helper()
	g := grants{allow: map[string]bool{"U1/disable/prod": true}}
	p := New(memdir.New(), log, g, nil, nil, WithFinishRetry(retry))
	ran := false
	return p.Do(context.Background(), req("U1"), Step{AuditID: "exec#1", Action: actions.Disable, Pool: "prod", Op: ranOp(&ran, "exec#1")})
}

// A short outage while the outcome is written does not leave a gap: the write
// is tried again and the known outcome recorded, also when an earlier try
// wrote it but its answer was lost. The pauses between tries are shortened;
// the give-up bound is production's.
func TestOutcomeIsWrittenAgainAfterAShortOutage(t *testing.T) {
	t.Parallel()
	for _, lost := range []bool{false, true} {
		mem := audit.NewMemoryLog(time.Hour)
		log := &outageLog{AuditLog: mem, fails: 3, lostAnswers: lost}
		out := runDisable(t, log, FinishRetry{For: DefaultFinishRetry.For, First: time.Millisecond, Max: 4 * time.Millisecond})
		if out.AuditGap || out.Err != nil {
			t.Fatalf("lost answers %v: outcome %+v; want done without an audit gap", lost, out)
		}
		e, err := mem.Get(context.Background(), "exec#1")
		if err != nil || e.Outcome != audit.OutcomeOK {
			t.Fatalf("lost answers %v: entry %+v (%v); want the OK outcome", lost, e, err)
		}
	}
}

// A store that stays gone is not waited on for ever: the step reports the
// audit gap and leaves the intent open for the sweeper. The give-up bound is
// shortened from production's seconds; the store is tried more than once.
func TestOutcomeWriteGivesUpOnAStoreThatStaysGone(t *testing.T) {
	t.Parallel()
	mem := audit.NewMemoryLog(time.Hour)
	log := &outageLog{AuditLog: mem, fails: 1 << 30}
	out := runDisable(t, log, FinishRetry{For: 30 * time.Millisecond, First: time.Millisecond, Max: 4 * time.Millisecond})
	if !out.AuditGap {
		t.Fatalf("outcome %+v; want an audit gap", out)
	}
	if log.calls < 2 {
		t.Errorf("the outcome write was tried %d time(s); want it tried again before giving up", log.calls)
	}
	if e, err := mem.Get(context.Background(), "exec#1"); err != nil || e.Outcome != audit.OutcomePending {
		t.Fatalf("entry %+v (%v); want the intent left open", e, err)
	}
}
