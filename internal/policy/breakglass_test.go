package policy_test

import (
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// A request that needs approval may skip it only by breaking glass: through a
// role with break_glass, with a reason; the requester then confirms it. When
// it executes, the requester must still be allowed to.
func TestBreakGlass(t *testing.T) {
	cfg := &config.Config{
		Roles: []config.Role{
			{Name: "oncall", Actions: []actions.Action{actions.Delete}, Members: []string{"U1ONCALL"}, BreakGlass: true},
			{Name: "support", Actions: []actions.Action{actions.Delete}, Members: []string{"U1SUPPORT"}},
		},
		Approvals: []config.ApprovalRule{{Action: actions.Delete, Approvers: []string{"U1LEAD"}, Channel: "C1"}},
	}
	p := policy.New(cfg)
	who := func(id string) policy.Actor { return policy.Actor{Identity: policy.Identity{UserID: id, TeamID: "T1"}} }
	ask := func(id string, reason bool) policy.Decision {
		return p.Decide(who(id), policy.Request{Stage: policy.Ask, Action: actions.Delete, Pool: "prod", BreakGlass: true, HasReason: reason})
	}
	if d := ask("U1ONCALL", true); d.Verdict != policy.Confirm || !d.BreakGlass || d.ConfirmBy != config.ConfirmByRequester {
		t.Errorf("oncall with a reason: %+v, want a break-glass confirm by the requester", d)
	}
	if d := ask("U1ONCALL", false); d.Verdict != policy.Deny || d.Reason == "" {
		t.Errorf("without a reason: %+v, want a denial with a sentence", d)
	}
	if d := ask("U1SUPPORT", true); d.Verdict != policy.Deny || d.Reason == "" {
		t.Errorf("a role without break_glass: %+v, want a denial with a sentence", d)
	}
	plain := p.Decide(who("U1ONCALL"), policy.Request{Stage: policy.Ask, Action: actions.Delete, Pool: "prod", HasReason: true})
	if plain.Verdict != policy.Approve || plain.BreakGlass {
		t.Errorf("without --break-glass: %+v, want approval", plain)
	}
	run := func(id string) policy.Decision {
		return p.Decide(who(id), policy.Request{Stage: policy.Run, Action: actions.Delete, Pool: "prod", Execute: true, BreakGlass: true, HasReason: true})
	}
	if d := run("U1ONCALL"); !d.Allowed() {
		t.Errorf("executing oncall's break-glass: %+v", d)
	}
	if d := run("U1SUPPORT"); d.Allowed() {
		t.Errorf("executing a break-glass by a role without it: %+v, want denied", d)
	}
}

// Past escalate_after, escalate_to may approve a waiting request; before, not.
func TestEscalatedApprovers(t *testing.T) {
	cfg := &config.Config{
		Roles: []config.Role{{Name: "all", Actions: []actions.Action{actions.Any}, Members: []string{"U1REQ"}}},
		Approvals: []config.ApprovalRule{{Action: actions.Delete, Approvers: []string{"U1LEAD"}, Channel: "C1",
			EscalateAfter: config.Duration(30 * time.Minute), EscalateTo: []string{"U1HEAD"}}},
	}
	p := policy.New(cfg)
	req := policy.Actor{Identity: policy.Identity{UserID: "U1REQ", TeamID: "T1"}}
	head := policy.Actor{Identity: policy.Identity{UserID: "U1HEAD", TeamID: "T1"}}
	review := policy.Request{Stage: policy.Review, Action: actions.Delete, Pool: "prod", Requester: &req}
	if d := p.Decide(head, review); d.Allowed() {
		t.Errorf("escalate_to approved before escalate_after: %+v", d)
	}
	review.Escalated = true
	if d := p.Decide(head, review); !d.Allowed() {
		t.Errorf("escalate_to refused after escalate_after: %+v", d)
	}
}
