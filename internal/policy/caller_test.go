package policy_test

import (
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// An action whose confirm needs the caller verified has no prompt per target
// in a bulk job, so the job is refused when asked and each target when run;
// the same action on one user is still asked for a confirmation.
func TestCallerVerifiedActionsNeverRunAsAJob(t *testing.T) {
	c := testConfig()
	c.CallerVerification.Actions = []config.Action{actions.ResetPassword}
	p := policy.New(c)
	admin := who("U1ADMIN")
	job := policy.Request{Stage: policy.Ask, Action: actions.ResetPassword, Channel: "C1", Job: &policy.Job{Targets: 2}}
	if d := p.Decide(admin, job); d.Allowed() || !strings.Contains(d.Reason, "caller") {
		t.Errorf("a bulk reset-password with caller verification: %+v; want a refusal naming the caller check", d)
	}
	target := policy.Request{Stage: policy.Run, Action: actions.ResetPassword, Channel: "C1", Job: &policy.Job{Target: true}, Execute: true}
	if d := p.Decide(admin, target); d.Allowed() {
		t.Errorf("a job target of reset-password with caller verification was allowed: %+v", d)
	}
	one := policy.Request{Stage: policy.Ask, Action: actions.ResetPassword, Channel: "C1"}
	if d := p.Decide(admin, one); d.Verdict != policy.Confirm {
		t.Errorf("reset-password of one user: %v; want a confirmation", d.Verdict)
	}
	if d := p.Decide(admin, policy.Request{Stage: policy.Ask, Action: actions.Disable, Channel: "C1", Job: &policy.Job{Targets: 2}}); !d.Allowed() {
		t.Errorf("a bulk disable (no caller check) was refused: %s", d.Reason)
	}
}

// The decision says when the confirm prompt must verify the caller: a
// confirmation, an approval and a break-glass request of a listed action,
// never an action that is not listed.
func TestDecisionSaysWhenTheCallerMustBeVerified(t *testing.T) {
	c := testConfig()
	c.CallerVerification.Actions = []config.Action{actions.ResetPassword, "delete"}
	c.Roles[1].BreakGlass = true
	p := policy.New(c)
	admin := who("U1ADMIN")
	for _, tc := range []struct {
		name string
		r    policy.Request
		want bool
	}{
		{"confirmed reset-password", policy.Request{Action: actions.ResetPassword}, true},
		{"approved delete", policy.Request{Action: "delete", HasReason: true}, true},
		{"break-glass delete", policy.Request{Action: "delete", HasReason: true, BreakGlass: true}, true},
		{"disable, not listed", policy.Request{Action: actions.Disable, Channel: "C1"}, false},
	} {
		r := tc.r
		r.Stage, r.Channel = policy.Ask, "C1"
		d := p.Decide(admin, r)
		if !d.Allowed() || d.CallerCheck != tc.want {
			t.Errorf("%s: %v, caller check %v; want allowed with caller check %v (%s)", tc.name, d.Verdict, d.CallerCheck, tc.want, d.Reason)
		}
	}
}
