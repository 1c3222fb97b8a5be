package rbac_test

import (
	"cmp"
	"context"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

type approveCase struct {
	approver, requester rbac.Actor
	action              config.Action
	pool                string
	allowed             bool
	reason              string
}

func actor(user, team string) rbac.Actor { return rbac.Actor{UserID: user, TeamID: team} }

// approves and refuses build CanApproveRequest cases; the requester is
// someone else unless given.
func approves(approver rbac.Actor, a config.Action) approveCase {
	return approveCase{approver: approver, requester: actor("U1SUPPORT", "T1"), action: a, allowed: true}
}

func refuses(approver rbac.Actor, a config.Action, reason string) approveCase {
	return approveCase{approver: approver, requester: actor("U1SUPPORT", "T1"), action: a, reason: reason}
}

func (c approveCase) requestedBy(requester rbac.Actor) approveCase {
	c.requester = requester
	return c
}

// in sets the pool the request is about; cases without it use staging,
// which has no approval rule of its own.
func (c approveCase) in(pool string) approveCase {
	c.pool = pool
	return c
}

func TestCanApproveRequest(t *testing.T) {
	tests := []approveCase{
		approves(actor("U1APPROVER", "T1"), "delete"),
		approves(actor("U2GROUPADMIN", "T1"), "delete"),
		refuses(actor("U1SUPPORT", "T1"), "delete", "you are not an approver for delete").
			requestedBy(actor("U1READER", "T1")),
		refuses(actor("U1ADMIN", "T1"), "delete", "you are not an approver for delete"),
		refuses(actor("U1APPROVER", "T1"), "lookup", "lookup does not need approval"),
		refuses(actor("U1APPROVER", "T1"), "disable", "could not check your Slack user group membership; try again shortly"),
		refuses(actor("U1APPROVER", "T1"), "delete", "you cannot approve your own request").
			requestedBy(actor("U1APPROVER", "T1")),
		refuses(actor("U2GROUPADMIN", "T1"), "delete", "you cannot approve your own request").
			requestedBy(actor("U2GROUPADMIN", "T1")),
		refuses(actor("U1APPROVER", "T2GRID"), "delete", "you cannot approve your own request").
			requestedBy(actor("U1APPROVER", "T1")),
		approves(actor("U1APPROVER", "T1"), "delete").requestedBy(actor("U1APPROVER2", "T1")),
		refuses(actor("", ""), "delete", "unknown Slack user").requestedBy(actor("", "")),
		approves(actor("U1PRODLEAD", "T1"), "delete").in("prod"),
		refuses(actor("U1PRODLEAD", "T1"), "delete", "you are not an approver for delete in pool staging"),
		refuses(actor("U1APPROVER", "T1"), "delete", "you are not an approver for delete in pool prod").in("prod"),
		refuses(actor("U1PRODLEAD", "T1"), "delete", "you cannot approve your own request").in("prod").
			requestedBy(actor("U1PRODLEAD", "T1")),
	}
	p := rbac.New(testConfig(), newGroups())
	for _, tt := range tests {
		pool := cmp.Or(tt.pool, "staging")
		d := p.CanApproveRequest(context.Background(), tt.approver, tt.requester, tt.action, pool)
		if d.Allowed != tt.allowed || !strings.Contains(d.Reason, tt.reason) {
			t.Errorf("CanApproveRequest(%v, %v, %s, %s) = %v %q, want %v %q",
				tt.approver, tt.requester, tt.action, pool, d.Allowed, d.Reason, tt.allowed, tt.reason)
		}
	}
}

func TestCanApproveIgnoresRequester(t *testing.T) {
	p := rbac.New(testConfig(), newGroups())
	if d := p.CanApprove(context.Background(), actor("U1APPROVER", "T1"), "delete", ""); !d.Allowed {
		t.Errorf("CanApprove = %q, want allowed", d.Reason)
	}
}
