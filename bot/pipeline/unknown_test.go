package pipeline

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// unknownCounter counts steps and unknown outcomes by cause.
type unknownCounter struct {
	stepCounter
	causes map[string]int
}

func (u unknownCounter) OutcomeUnknown(cause string) { u.causes[cause]++ }

// Every outcome recorded as unknown is reported once, by cause: a lost answer when
// the step runs, an abandoned intent when the sweeper or a job runner closes it.
// An intent already closed is not counted again.
func TestUnknownOutcomesAreReportedOnceByCause(t *testing.T) {
	t.Parallel()
	now := time.Now()
	log := audit.NewMemoryLog(time.Hour, audit.WithClock(func() time.Time { return now }))
	obs := unknownCounter{stepCounter: stepCounter{}, causes: map[string]int{}}
	p := New(memdir.New(), log, grants{allow: map[string]bool{"U1/delete/prod": true}}, nil, obs)
	ctx := context.Background()

	p.Do(ctx, req("U1"), Step{AuditID: "exec#lost", Action: actions.Delete, Pool: "prod",
		Op: func(context.Context, Services) (Result, error) {
			return Result{}, fmt.Errorf("deleting: %w", cognito.ErrOutcomeUnknown)
		}})
	p.Do(ctx, req("U1"), Step{AuditID: "exec#fine", Action: actions.Delete, Pool: "prod",
		Op: func(context.Context, Services) (Result, error) { return Result{}, nil }})
	for _, id := range []string{"exec#crashed", "bulk#job#1"} {
		if err := log.Begin(ctx, audit.Entry{ID: id, Action: "enable", Actor: audit.Actor{UserID: "U1", TeamID: "T1"}, Decision: audit.Allowed, Outcome: audit.OutcomePending}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.CloseAbandoned(ctx, "bulk#job#1", "the runner stopped during this target"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CloseAbandoned(ctx, "bulk#job#1", "again"); err != nil { // already closed
		t.Fatal(err)
	}
	if closed, err := p.CloseAbandoned(ctx, "exec#crashed", "the bot stopped before recording it"); err != nil || !closed {
		t.Fatalf("closed %t, %v; want closed", closed, err)
	}
	if obs.causes[CauseLostAnswer] != 1 || obs.causes[CauseAbandoned] != 2 || len(obs.causes) != 2 {
		t.Errorf("reported %v; want one %s and two %s", obs.causes, CauseLostAnswer, CauseAbandoned)
	}
}
