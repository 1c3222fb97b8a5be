package pipeline

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/memdir"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// grants is a policy that allows exactly the listed user/action/pool triples and
// lets listed approvers approve.
type grants struct {
	allow     map[string]bool // "U1/disable/prod"
	approvers map[string]bool // "U9"
}

func (g grants) Decide(_ context.Context, a policy.Actor, r policy.Request) policy.Decision {
	if r.Stage == policy.Review {
		if (r.Requester != nil && a.UserID == r.Requester.UserID) || !g.approvers[a.UserID] {
			return policy.Decision{Reason: "not an approver"}
		}
		return policy.Decision{Verdict: policy.Allow}
	}
	for _, who := range []*policy.Actor{&a, r.Requester} {
		if who != nil && !g.allow[who.UserID+"/"+string(r.Action)+"/"+r.Pool] {
			return policy.Decision{Reason: fmt.Sprintf("%s may not %s in %s", who.UserID, r.Action, r.Pool)}
		}
	}
	return policy.Decision{Verdict: policy.Allow}
}

// brokenLog is an audit log that cannot be written.
type brokenLog struct{ AuditLog }

func (brokenLog) Begin(context.Context, audit.Entry) error  { return audit.ErrUnavailable }
func (brokenLog) Record(context.Context, audit.Entry) error { return audit.ErrUnavailable }

func newTestPipeline(t *testing.T, g grants) (*Pipeline, *audit.MemoryLog) {
	t.Helper()
	log := audit.NewMemoryLog(time.Hour)
	return New(memdir.New(), log, g, nil, nil), log
}

func req(user string) Request {
	return Request{Actor: audit.Actor{UserID: user, TeamID: "T1"}, Channel: "C1", EnvelopeID: "E1"}
}

// ranOp is an operation that notes it ran and checks it runs under its intent.
func ranOp(ran *bool, id string) func(context.Context, Services) (Result, error) {
	return func(ctx context.Context, s Services) (Result, error) {
		*ran = true
		if IntentID(ctx) != id || s.Users == nil || s.Log == nil {
			return Result{}, errors.New("operation ran without its intent or services")
		}
		return Result{Summary: "done"}, nil
	}
}

func TestDeniedStepIsRecordedAndNeverRuns(t *testing.T) {
	t.Parallel()
	p, log := newTestPipeline(t, grants{})
	ran := false
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "exec#1", Action: actions.Disable, Pool: "prod", Op: ranOp(&ran, "exec#1")})
	if out.Denied == "" || ran {
		t.Fatalf("outcome %+v, ran %v; want denied and not run", out, ran)
	}
	entries := log.Recent(0)
	if len(entries) != 1 || entries[0].Decision != audit.Denied || entries[0].DenyReason != out.Denied {
		t.Fatalf("audit %+v; want one denial with the reason", entries)
	}
}

func TestAllowedStepRecordsIntentThenOutcomeWithTheResolvedUser(t *testing.T) {
	t.Parallel()
	p, log := newTestPipeline(t, grants{allow: map[string]bool{"U1/lookup/prod": true}})
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "find#1", Action: actions.Lookup, Pool: "prod",
		Target: audit.Target{Pool: "us-east-1_p", Username: "a@example.com"},
		Op: func(ctx context.Context, s Services) (Result, error) {
			return Result{Summary: "1 match", Resolved: &audit.Target{Pool: "us-east-1_p", Username: "alice", Sub: "s-1"}}, nil
		}})
	if !out.OK() {
		t.Fatalf("outcome %+v", out)
	}
	e, err := log.Get(context.Background(), "find#1")
	if err != nil || e.Outcome != audit.OutcomeOK || e.Target.Username != "alice" || e.Target.Sub != "s-1" {
		t.Fatalf("entry %+v, %v; want ok and resolved to alice/s-1", e, err)
	}
}

func TestAuditDownMeansNothingRuns(t *testing.T) {
	t.Parallel()
	g := grants{allow: map[string]bool{"U1/disable/prod": true}}
	p := New(memdir.New(), brokenLog{audit.NewMemoryLog(time.Hour)}, g, nil, nil)
	ran := false
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "exec#1", Action: actions.Disable, Pool: "prod", Op: ranOp(&ran, "exec#1")})
	if !errors.Is(out.Err, ErrAuditUnavailable) || ran {
		t.Fatalf("outcome %+v, ran %v; want ErrAuditUnavailable and not run", out, ran)
	}
}

func TestLostClaimWritesNothingAndRunsNothing(t *testing.T) {
	t.Parallel()
	p, log := newTestPipeline(t, grants{allow: map[string]bool{"U1/disable/prod": true}})
	ran, lost := false, errors.New("someone else decided")
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "exec#1", Action: actions.Disable, Pool: "prod",
		Claim: func(context.Context) error { return lost }, Op: ranOp(&ran, "exec#1")})
	if !errors.Is(out.Err, lost) || ran || len(log.Recent(0)) != 0 {
		t.Fatalf("outcome %+v, ran %v, entries %d; want the claim error, nothing run or written", out, ran, len(log.Recent(0)))
	}
}

func TestRequesterIsReauthorizedWhenSomeoneElseRunsTheirRequest(t *testing.T) {
	t.Parallel()
	g := grants{allow: map[string]bool{"U2/delete/prod": true}, approvers: map[string]bool{"U2": true}}
	p, _ := newTestPipeline(t, g)
	ran := false
	origin := &Origin{Actor: audit.Actor{UserID: "U1", TeamID: "T1"}, Channel: "C1"}
	for _, auth := range []Authority{ByRole, ByApprover} {
		out := p.Do(context.Background(), req("U2"), Step{AuditID: fmt.Sprint("exec#", auth), Action: actions.Delete, Pool: "prod",
			Authority: auth, Requester: origin, Op: ranOp(&ran, "x")})
		if out.Denied == "" || ran {
			t.Errorf("authority %d: outcome %+v, ran %v; want denied because the requester lost the action", auth, out, ran)
		}
	}
}

func TestApproverMayNotBeTheRequester(t *testing.T) {
	t.Parallel()
	g := grants{allow: map[string]bool{"U1/delete/prod": true}, approvers: map[string]bool{"U1": true}}
	p, _ := newTestPipeline(t, g)
	ran := false
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "exec#1", Action: actions.Delete, Pool: "prod", Authority: ByApprover,
		Requester: &Origin{Actor: audit.Actor{UserID: "U1", TeamID: "T1"}, Channel: "C1"}, Op: ranOp(&ran, "exec#1")})
	if out.Denied == "" || ran {
		t.Fatalf("self-approval: %+v ran %v", out, ran)
	}
}

func TestOnlyTheRequesterWithdraws(t *testing.T) {
	t.Parallel()
	p, _ := newTestPipeline(t, grants{})
	origin := &Origin{Actor: audit.Actor{UserID: "U1", TeamID: "T1"}}
	if out := p.Do(context.Background(), req("U2"), Step{AuditID: "cancel#1", Action: actions.Delete, Authority: ByRequester, Requester: origin}); out.Denied == "" {
		t.Errorf("another user withdrew the request: %+v", out)
	}
	// The requester needs no role to withdraw their own request.
	if out := p.Do(context.Background(), req("U1"), Step{AuditID: "cancel#1", Action: actions.Delete, Authority: ByRequester, Requester: origin}); !out.OK() {
		t.Errorf("requester could not withdraw: %+v", out)
	}
}

func TestLostAnswerIsRecordedAsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	p, log := newTestPipeline(t, grants{allow: map[string]bool{"U1/delete/prod": true}})
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "exec#1", Action: actions.Delete, Pool: "prod",
		Op: func(context.Context, Services) (Result, error) {
			return Result{}, fmt.Errorf("deleting: %w: %w", cognito.ErrOutcomeUnknown, cognito.ErrUserNotFound)
		}})
	if !IsOutcomeUnknown(out.Err) {
		t.Fatalf("err %v; want outcome unknown", out.Err)
	}
	e, _ := log.Get(context.Background(), "exec#1")
	if e.Outcome != audit.OutcomeError || len(e.Message) < len(UnknownOutcome) || e.Message[:len(UnknownOutcome)] != UnknownOutcome {
		t.Fatalf("audit message %q; want it to start with %q", e.Message, UnknownOutcome)
	}
}

// A step whose whole work is a state change (cancel, reject, start a job) writes its
// intent first: with the audit log down, the state never changes.
func TestClaimOnlyStepNeverChangesStateUnaudited(t *testing.T) {
	t.Parallel()
	g := grants{allow: map[string]bool{"U1/delete/prod": true}}
	p := New(memdir.New(), brokenLog{audit.NewMemoryLog(time.Hour)}, g, nil, nil)
	claimed := false
	out := p.Do(context.Background(), req("U1"), Step{AuditID: "bulkconfirm#1", Action: actions.Delete, Pool: "prod",
		Claim: func(context.Context) error { claimed = true; return nil }})
	if !errors.Is(out.Err, ErrAuditUnavailable) || claimed {
		t.Fatalf("outcome %+v, claimed %v; want ErrAuditUnavailable and no state change", out, claimed)
	}
	// With the log up, each click is its own audited attempt; the loser's is recorded too.
	p, log := newTestPipeline(t, g)
	lost := errors.New("already decided")
	for i, r := range []string{"click-a", "click-b"} {
		rq := req("U1")
		rq.Ref = r
		out := p.Do(context.Background(), rq, Step{AuditID: "cancel#1", Action: actions.Delete, Pool: "prod",
			Claim: func(context.Context) error {
				if i > 0 {
					return lost
				}
				return nil
			}})
		if (i == 0) != (out.Err == nil) {
			t.Fatalf("click %d: %+v", i, out)
		}
	}
	if n := len(log.Recent(0)); n != 2 {
		t.Fatalf("%d entries; want both clicks audited", n)
	}
	rq := req("U1")
	rq.Ref = "click-a"
	if out := p.Do(context.Background(), rq, Step{AuditID: "cancel#1", Action: actions.Delete, Pool: "prod",
		Claim: func(context.Context) error { t.Fatal("a redelivered click claimed again"); return nil }}); !out.Duplicate {
		t.Fatalf("redelivery: %+v; want a duplicate", out)
	}
}

// An intent carries its step's deadline, so the sweeper does not close a long
// step (an export) as abandoned while it still runs.
func TestIntentCarriesTheStepsDeadline(t *testing.T) {
	t.Parallel()
	p, log := newTestPipeline(t, grants{allow: map[string]bool{"U1/list/prod": true}})
	deadline := time.Now().Add(30 * time.Minute)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	var seen time.Time
	p.Do(ctx, req("U1"), Step{AuditID: "export#1", Action: actions.List, Pool: "prod",
		Op: func(ctx context.Context, s Services) (Result, error) {
			e, err := log.Get(ctx, IntentID(ctx))
			seen = e.Deadline
			return Result{}, err
		}})
	if seen.Sub(deadline).Abs() > time.Millisecond {
		t.Fatalf("intent deadline %v; want the step's %v", seen, deadline)
	}
}

// stepCounter counts the steps' results, as the metrics do.
type stepCounter map[string]int

func (c stepCounter) StepDone(action, result string) { c[action+"/"+result]++ }

// Every refusal is counted as denied, whether the policy refused it inside Do
// or the bot refused it by its own check (only the requester may confirm…);
// a redelivery of the same refusal is counted once, as it is audited once.
func TestEveryRefusalIsCountedOnce(t *testing.T) {
	t.Parallel()
	count := stepCounter{}
	p := New(memdir.New(), audit.NewMemoryLog(time.Hour), grants{}, nil, count)
	ctx := context.Background()
	req := Request{Actor: audit.Actor{UserID: "U1", TeamID: "T1"}, Ref: "click#1"}
	step := Step{AuditID: "exec#p1", Action: "disable", Pool: "prod"}
	p.Do(ctx, req, step)
	p.Refuse(ctx, req, step, "only the requester may confirm")
	p.Refuse(ctx, req, step, "only the requester may confirm") // Slack redelivered the click
	if count["disable/denied"] != 2 {
		t.Errorf("%d denials counted; want 2 (the policy's and the bot's own)", count["disable/denied"])
	}
}
