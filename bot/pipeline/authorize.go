package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/cognito-bot/cognito-bot/audit"
)

// authorize returns why req may not run s, or "" when it may. Every step is
// judged afresh: a click is never trusted for what its button says.
func (p *Pipeline) authorize(ctx context.Context, req Request, s Step) string {
	actor := PolicyActor(req.Actor)
	switch s.Authority {
	case ByRequester:
		if s.Requester == nil || !SameActor(s.Requester.Actor, req.Actor) {
			return "only the requester can withdraw this request"
		}
		return ""
	case ByApprover:
		if s.Requester == nil {
			return "this request has no requester"
		}
		if d := p.policy.CanApproveRequest(ctx, actor, PolicyActor(s.Requester.Actor), s.Action, s.Pool); !d.Allowed {
			return d.Reason
		}
	default:
		if d := p.policy.Allow(ctx, actor, s.Action, req.Channel, s.Pool); !d.Allowed {
			return d.Reason
		}
	}
	if s.Requester != nil && s.Op != nil && !SameActor(s.Requester.Actor, req.Actor) {
		d := p.policy.Allow(ctx, PolicyActor(s.Requester.Actor), s.Action, s.Requester.Channel, s.Pool)
		if !d.Allowed {
			return "the requester may no longer run " + string(s.Action) + " (" + d.Reason + ")"
		}
	}
	return ""
}

// SameActor compares identities: user id and team, never names.
func SameActor(a, b audit.Actor) bool { return a.UserID == b.UserID && a.TeamID == b.TeamID }

// shortHash keeps a deterministic id part short whatever it is made from.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:6])
}
