package bulk

import (
	"context"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
)

// panicking panics when asked to disable one user, as a bug in an operation would.
type panicking struct {
	pipeline.Directory
	victim string
}

func (d panicking) DisableUser(ctx context.Context, pool, username string) (cognito.Result, error) {
	if username == d.victim {
		panic("index out of range [3] with length 3")
	}
	return d.Directory.DisableUser(ctx, pool, username)
}

func TestAPanicInATargetFailsThatTargetAndTheJobGoesOn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 10, 0)
	job := w.startJob("disable", 10)
	r := w.runner("A", panicking{Directory: w.dir, victim: "u004"}, nil, nil, 1000)
	r.Start(context.Background(), job.ID)
	w.rep.wait(t)
	r.Wait()
	p := w.rep.finished[0]
	if p.Done != 9 || p.Failed != 1 || p.Left() != 0 {
		t.Fatalf("final progress %+v; want 9 done, 1 failed", p)
	}
	if msg := summaryOf(p); !strings.Contains(msg, "1 failed") {
		t.Errorf("the job's message %q does not count the failure", msg)
	}
	row := w.rep.rows[4]
	if row.Outcome != OutcomeFailed || !strings.HasPrefix(row.Error, "internal error (ref ") || strings.Contains(row.Error, "index out of range") {
		t.Errorf("row of the panicking target = %+v; want failed with internal error (ref …) and no panic text", row)
	}
	for _, e := range w.log.Recent(0) {
		if e.Params["job"] == job.ID && e.Params["target"] == "4" && e.Decision == audit.Allowed {
			if e.Outcome != audit.OutcomeError || !strings.Contains(e.Message, "internal error (ref ") {
				t.Errorf("its audit entry ends %s %q; want an error naming the ref", e.Outcome, e.Message)
			}
		}
	}
	if got, _ := w.store.GetJob(context.Background(), job.ID); got.State != audit.JobFinished {
		t.Errorf("job state %s; want FINISHED", got.State)
	}
}
