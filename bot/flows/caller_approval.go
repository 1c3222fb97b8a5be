package flows

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// callerThenApproval marks the confirm prompt of a request that needs both
// the caller verified and an approval: the requester, who speaks with the
// caller, ticks the box and confirms, and only then is it sent for approval.
// An approver never stands in for the caller check.
const callerThenApproval = "caller.then_approval"

// callerApprovalDetail says on such a prompt that Confirm sends it for approval.
func callerApprovalDetail(p audit.Pending, detail string) string {
	if p.Params[callerThenApproval] == "" {
		return detail
	}
	return "Confirm sends it for approval once you have verified the caller; it runs only when approved. " + detail
}

// askApprovalAfterCallerCheck passes a request whose caller its requester has
// just verified (callerChecked) on for approval: the prompt is used up by a
// conditional write, then the request is asked again as typed, on the same
// user exactly, so the policy decides afresh what it needs now.
func (b *Flows) askApprovalAfterCallerCheck(ctx context.Context, req *transport.Request, p audit.Pending) {
	if !pipeline.SameActor(p.Requester, req.Actor) {
		b.Pipe.Refuse(ctx, req.Pipe(), PendingStep(p, "exec"), "only the requester may send it for approval")
		b.Reply(ctx, req, views.Notice("Nothing was done: only the person who asked, who speaks with the caller, can verify them and send this for approval."), desk.ReplyEphemeral)
		return
	}
	spec, known := actions.Get(actions.Action(p.Action))
	pool, poolOK := b.PendingPool(p)
	if !known || !poolOK {
		b.Reply(ctx, req, views.Notice("Nothing was done: this request's action or pool is no longer configured."), desk.ReplyEphemeral)
		return
	}
	if _, err := b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting,
		audit.Update{DecidedBy: &req.Actor, DecidedAt: b.Now()}); err != nil {
		b.Reply(ctx, req, views.TrustedNotice("This request can no longer be acted on."), desk.ReplyEphemeral)
		return
	}
	ar := ActionRequest{Spec: spec, Pool: pool, Target: Exactly(desk.Identity{Username: p.Target.Username, Sub: p.Target.Sub}),
		Reason: p.Reason, Args: ArgsOf(p.Params), callerVerified: true, PendingID: p.ID + "-approval"}
	err := b.CommandHooks.RequestAction(ctx, req, ar)
	result := "caller verified; sent on for approval"
	if err != nil {
		result = "caller verified; asking for approval failed"
	}
	if _, terr := b.State.Transition(ctx, p.ID, audit.StateExecuting, audit.StateDone, audit.Update{Result: result}); terr != nil {
		b.LogInternal(transport.NewRef(), terr, req, string(p.Action))
	}
	if err != nil {
		b.AnswerError(ctx, req, actions.Action(p.Action), err)
	}
}
