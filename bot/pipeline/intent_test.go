package pipeline

import (
	"context"
	"errors"
	"testing"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// TestOperationReachesTheDirectoryUnderItsIntentAndNotAfter: the pipeline puts
// the step's intent into the operation's context, so the directory (which
// refuses calls without one) serves it; the same context used after the
// operation returned — by work it left behind — is refused.
func TestOperationReachesTheDirectoryUnderItsIntentAndNotAfter(t *testing.T) {
	t.Parallel()
	m := memdir.New()
	if err := m.AddPool(memdir.PoolSpec{ID: "us-east-1_Intent"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Seed("us-east-1_Intent", memdir.SeedUser{Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	p := New(m, audit.NewMemoryLog(0), grants{allow: map[string]bool{"U1/disable/prod": true}}, nil, nil)
	var leftBehind context.Context
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "exec#1", Action: actions.Disable, Pool: "prod",
		Op: func(ctx context.Context, s Services) (Result, error) {
			leftBehind = ctx
			_, err := s.Users.DisableUser(ctx, "us-east-1_Intent", "ana")
			return Result{Summary: "disabled"}, err
		}})
	if !out.OK() {
		t.Fatalf("the step under its intent failed: %+v", out)
	}
	if IntentID(leftBehind) != "" {
		t.Errorf("the intent is still open after the operation returned")
	}
	if _, err := m.EnableUser(leftBehind, "us-east-1_Intent", "ana"); !errors.Is(err, cognito.ErrNoIntent) {
		t.Fatalf("a call after the operation returned: got %v, want ErrNoIntent", err)
	}
	if _, err := m.GetUser(context.Background(), "us-east-1_Intent", "ana"); !errors.Is(err, cognito.ErrNoIntent) {
		t.Fatalf("a call outside the pipeline: got %v, want ErrNoIntent", err)
	}
}

// TestByRequesterStepCannotCarryAnOperation: a step authorized only by being
// the requester is refused at Do when it carries a Cognito operation; nothing
// is written and nothing runs.
func TestByRequesterStepCannotCarryAnOperation(t *testing.T) {
	t.Parallel()
	p, log := newTestPipeline(t, grants{allow: map[string]bool{"U1/delete/prod": true}})
	ran := false
	requester := &Origin{Actor: audit.Actor{UserID: "U1", TeamID: "T1"}, Channel: "C1"}
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "withdraw#1", Action: actions.Delete, Pool: "prod",
		Authority: ByRequester, Requester: requester, Op: ranOp(&ran, "withdraw#1")})
	if !errors.Is(out.Err, ErrRequesterOp) || ran {
		t.Fatalf("outcome %+v, ran %v; want ErrRequesterOp and nothing run", out, ran)
	}
	if n := len(log.Recent(0)); n != 0 {
		t.Fatalf("%d audit entries for a refused step", n)
	}
	// The same step that only withdraws (a claim, no operation) still runs.
	claimed := false
	out = p.Do(context.Background(), req("U1"), Step{AuditID: "withdraw#2", Action: actions.Delete, Pool: "prod",
		Authority: ByRequester, Requester: requester, Params: map[string]string{"outcome": "withdrawn"},
		Claim: func(context.Context) error { claimed = true; return nil }})
	if !out.OK() || !claimed {
		t.Fatalf("withdrawing: %+v, claimed %v", out, claimed)
	}
}
