package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
)

// Closing an open intent says whether this call closed it, so of several
// sweeping replicas only one tells the requester; an outcome read back is
// not counted as unknown, an unknown one is, once.
func TestClosingAnOpenIntentReportsWhoClosedItAndCountsOnlyUnknowns(t *testing.T) {
	t.Parallel()
	now := time.Now()
	log := audit.NewMemoryLog(time.Hour, audit.WithClock(func() time.Time { return now }))
	obs := unknownCounter{stepCounter: stepCounter{}, causes: map[string]int{}}
	p := New(memdir.New(), log, grants{}, nil, obs)
	ctx := context.Background()
	for _, id := range []string{"exec#settled", "exec#unknown"} {
		if err := log.Begin(ctx, audit.Entry{ID: id, Action: "enable", Actor: audit.Actor{UserID: "U1", TeamID: "T1"}, Decision: audit.Allowed, Outcome: audit.OutcomePending}); err != nil {
			t.Fatal(err)
		}
	}
	open, err := p.OpenIntents(ctx, now.Add(time.Minute), 10)
	if err != nil || len(open) != 2 {
		t.Fatalf("open intents %v, %v; want both", open, err)
	}
	for i, want := range []bool{true, false} {
		if closed, err := p.CloseSettled(ctx, "exec#settled", audit.OutcomeOK, "done (read back)"); err != nil || closed != want {
			t.Errorf("settling, call %d: closed %t, %v; want %t", i+1, closed, err, want)
		}
		if closed, err := p.CloseAbandoned(ctx, "exec#unknown", "the bot stopped"); err != nil || closed != want {
			t.Errorf("abandoning, call %d: closed %t, %v; want %t", i+1, closed, err, want)
		}
	}
	if e, _ := log.Get(ctx, "exec#settled"); e.Outcome != audit.OutcomeOK || e.Message != "done (read back)" {
		t.Errorf("settled intent is %s %q", e.Outcome, e.Message)
	}
	if e, _ := log.Get(ctx, "exec#unknown"); e.Outcome != audit.OutcomeError || e.Message != UnknownOutcome+": the bot stopped" {
		t.Errorf("abandoned intent is %s %q", e.Outcome, e.Message)
	}
	if obs.causes[CauseAbandoned] != 1 || len(obs.causes) != 1 {
		t.Errorf("reported %v; want one %s", obs.causes, CauseAbandoned)
	}
}
