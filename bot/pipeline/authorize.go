package pipeline

import (
	"cmp"
	"context"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// authorize returns why req may not run s, or "" when it may. Every step is
// judged afresh by the policy: a click is never trusted for what its button
// says.
func (p *Pipeline) authorize(ctx context.Context, req Request, s Step) string {
	actor := PolicyActor(req.Actor)
	r := policyRequest(req, s)
	switch s.Authority {
	case ByRequester:
		if s.Requester == nil || !SameActor(s.Requester.Actor, req.Actor) {
			if s.Action == actions.Bulk && s.Phase == "cancel" {
				return "only the requester can cancel this job" // a bulk or export job
			}
			return "only the requester can withdraw this request"
		}
		return ""
	case ByApprover:
		if s.Requester == nil {
			return "this request has no requester"
		}
		requester := PolicyActor(s.Requester.Actor)
		r.Stage, r.Requester = policy.Review, &requester
		if d := p.policy.Decide(ctx, actor, r); !d.Allowed() {
			return d.Reason
		}
		if s.Op == nil {
			return ""
		}
		// Carrying out the request: its requester must still hold the action.
		r.Stage, r.Requester, r.Channel = policy.Run, nil, s.Requester.Channel
		if d := p.policy.Decide(ctx, requester, r); !d.Allowed() {
			return "the requester may no longer run " + string(r.Action) + " (" + d.Reason + ")"
		}
		return ""
	}
	if s.Requester != nil && s.Op != nil && !SameActor(s.Requester.Actor, req.Actor) {
		requester := PolicyActor(s.Requester.Actor)
		r.Requester, r.RequesterChannel = &requester, s.Requester.Channel
	}
	if d := p.policy.Decide(ctx, actor, r); !d.Allowed() {
		return d.Reason
	}
	return ""
}

// policyRequest is the step as the policy is asked about it at Run.
func policyRequest(req Request, s Step) policy.Request {
	var r policy.Request
	if s.Policy != nil {
		r = *s.Policy
	}
	r.Stage, r.Channel = policy.Run, req.Channel
	r.Action = cmp.Or(r.Action, s.Action)
	r.Pool = cmp.Or(r.Pool, s.Pool)
	r.Approved = r.Approved || s.ApprovalID != ""
	return r
}

// PolicyActor is the identity the policy understands: the user id, the
// workspace they act from and, in Enterprise Grid, their organisation, so
// slack.allowed_teams may list either.
func PolicyActor(a audit.Actor) policy.Actor {
	id := policy.Identity{UserID: a.UserID, TeamID: a.TeamID}
	if a.Workspace != "" && a.Workspace != a.TeamID {
		id.TeamID, id.EnterpriseID = a.Workspace, a.TeamID
	}
	return policy.Actor{Identity: id}
}

// SameActor compares identities: user id and team, never names.
func SameActor(a, b audit.Actor) bool { return a.UserID == b.UserID && a.TeamID == b.TeamID }
