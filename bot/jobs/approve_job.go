package jobs

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
)

// ApproveStartingJob is an approver's Approve of a request that runs as a job
// (a bulk job, an export): one pipeline step by the approver claims the
// pending action (PENDING → EXECUTING, a conditional write, so two approvers
// or a redelivered click go on once) and start records or starts the job;
// the pending action is then closed and its card updated, saying startedResult
// when it went. It returns the job and true when the caller should launch it.
func (b *Jobs) ApproveStartingJob(ctx context.Context, req *transport.Request, p audit.Pending, view views.ApprovalView,
	step pipeline.Step, startedResult string, start func(ctx context.Context) (audit.Job, pipeline.Result, error)) (audit.Job, bool) {
	claimed := false
	var claimErr error
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &req.Actor, DecidedAt: b.Now()})
		claimed = claimErr == nil
		return claimErr
	}
	var job audit.Job
	step.Op = func(ctx context.Context, _ pipeline.Services) (pipeline.Result, error) {
		var res pipeline.Result
		var err error
		job, res, err = start(ctx)
		return res, err
	}
	out, ok := b.Do(ctx, req, step)
	if !claimed {
		if ok && claimErr != nil {
			b.AnswerClaimLost(ctx, req, claimErr)
		}
		return audit.Job{}, false
	}
	final, result := audit.StateDone, out.Result.Summary
	dec := views.DecisionView{State: "approved", By: desk.ToActorView(req.Actor), At: b.Now(), OK: out.Err == nil, Result: startedResult}
	if out.Err != nil {
		final, result = audit.StateFailed, b.UserMessage(out.Err, req, string(p.Action))
		dec.State, dec.Result = "failed", result
	}
	if _, err := b.State.Transition(context.WithoutCancel(ctx), p.ID, audit.StateExecuting, final, audit.Update{Result: result}); err != nil {
		b.LogInternal(transport.NewRef(), err, req, string(p.Action))
	}
	b.CloseCard(ctx, req, p, view, dec)
	return job, out.Err == nil
}
