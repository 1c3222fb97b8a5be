package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// An export under an approval rule waits as a pending approval that keeps
// its filter and columns; an approver's Approve starts it, once, as an export
// job (see ApproveExport), and the CSV goes to the requester's direct
// messages.

// exportSpec is what an export waiting for approval keeps of its request.
type exportSpec struct {
	Filter        desk.ListSession `json:"filter"`
	Attributes    []string         `json:"attributes,omitempty"`
	WithGroups    bool             `json:"with_groups,omitempty"`
	CreatedBefore int64            `json:"created_before,omitempty"` // Unix seconds; 0: any
}

// RequestExportApproval records the export as a pending approval and posts
// its card in the rule's channel.
func (b *Jobs) RequestExportApproval(ctx context.Context, req *transport.Request, er ExportRequest, rule config.ApprovalRule) error {
	spec := exportSpec{Filter: er.Filter, Attributes: er.Attributes, WithGroups: er.WithGroups}
	if !er.CreatedBefore.IsZero() {
		spec.CreatedBefore = er.CreatedBefore.Unix()
	}
	raw, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	params := ExportStep(er).Params
	delete(params, "pool_name") // the pending action's Pool
	params["export"] = string(raw)
	now := b.Now()
	created, err := b.State.Create(ctx, audit.Pending{
		ID: "p" + transport.HashKey(req.Ref, string(actions.Export)), Kind: flows.KindApproval, Action: actions.Export,
		Target: desk.TargetOfPool(er.Pool), Pool: er.Pool.Name, Params: params, Reason: er.Reason, Requester: req.Actor, Channel: req.Channel,
		CreatedAt: now, ExpiresAt: now.Add(rule.Expiry.Std()),
	})
	if errors.Is(err, audit.ErrDuplicate) {
		if created, err = b.State.Get(ctx, "p"+transport.HashKey(req.Ref, string(actions.Export))); err == nil && created.State != audit.StatePending {
			b.Reply(ctx, req, views.TrustedNotice(flows.AlreadyText(created)), desk.ReplyEphemeral)
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("recording pending export: %w: %w", desk.ErrStateUnavailable, err)
	}
	return b.SendForApproval(ctx, req, created, er.Pool, rule)
}

// ApproveExport starts an approved export as a job, as the requester's own
// export command would: one pipeline step by the approver (which re-authorizes
// the requester) claims the pending approval (PENDING → EXECUTING, once),
// holds the requester's one export and records the job; the card then says
// approved and the job runs in the background, its progress message and CSV
// in the requester's direct messages, under the requester's authority
// checked again when it runs. The approver's click returns at once.
func (b *Jobs) ApproveExport(ctx context.Context, req *transport.Request, p audit.Pending, pool config.Pool, view views.ApprovalView) {
	var spec exportSpec
	if err := json.Unmarshal([]byte(p.Params["export"]), &spec); err != nil {
		b.Reply(ctx, req, views.Notice("This request is no longer valid. Reject it instead."), desk.ReplyEphemeral)
		return
	}
	er := ExportRequest{Pool: pool, Filter: spec.Filter, Attributes: spec.Attributes, WithGroups: spec.WithGroups, Reason: p.Reason}
	if spec.CreatedBefore != 0 {
		er.CreatedBefore = time.Unix(spec.CreatedBefore, 0)
	}
	jobID := flows.ExportJobOf(p.ID)
	step := flows.PendingStep(p, flows.PhaseExec)
	step.Authority = pipeline.ByApprover
	maps.Copy(step.Params, ExportStep(er).Params)
	step.Phase, step.Params["job"] = flows.PhaseExecute, jobID
	claimed := false
	var claimErr error
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &req.Actor, DecidedAt: b.Now()})
		claimed = claimErr == nil
		return claimErr
	}
	var job audit.Job
	step.Op = func(ctx context.Context, _ pipeline.Services) (pipeline.Result, error) {
		if b.Runner == nil || b.JobStore == nil {
			return pipeline.Result{}, desk.Refusedf("Nothing was exported: this bot keeps no jobs, so it cannot run an export in the background.")
		}
		if err := b.holdExport(ctx, p.Requester, jobID); err != nil {
			return pipeline.Result{}, err
		}
		var err error
		if job, err = b.recordExportJob(ctx, jobID, er, p.Requester, p.Channel, req.Actor, p.ID); err != nil {
			return pipeline.Result{}, err
		}
		return pipeline.Result{Summary: flows.JobStartedSummary(job)}, nil
	}
	out, ok := b.Do(ctx, req, step)
	if !claimed {
		if ok && claimErr != nil {
			b.AnswerClaimLost(ctx, req, claimErr)
		}
		return
	}
	final, result := audit.StateDone, out.Result.Summary
	dec := views.DecisionView{State: "approved", By: desk.ToActorView(req.Actor), At: b.Now(), OK: out.Err == nil, Result: flows.ExportStartedResult}
	if out.Err != nil {
		final, result = audit.StateFailed, b.UserMessage(out.Err, req, string(p.Action))
		dec.State, dec.Result = "failed", result
	}
	if _, err := b.State.Transition(context.WithoutCancel(ctx), p.ID, audit.StateExecuting, final, audit.Update{Result: result}); err != nil {
		b.LogInternal(transport.NewRef(), err, req, string(p.Action))
	}
	b.CloseCard(ctx, req, p, view, dec)
	if out.Err == nil {
		b.launchExport(ctx, job, er)
	}
}
