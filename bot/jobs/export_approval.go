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
	job, started := b.approveStartingJob(ctx, req, p, view, step, flows.ExportStartedResult, func(ctx context.Context) (audit.Job, pipeline.Result, error) {
		if b.Runner == nil || b.JobStore == nil {
			return audit.Job{}, pipeline.Result{}, desk.Refusedf("Nothing was exported: this bot keeps no jobs, so it cannot run an export in the background.")
		}
		if err := b.holdExport(ctx, p.Requester, jobID); err != nil {
			return audit.Job{}, pipeline.Result{}, err
		}
		job, err := b.recordExportJob(ctx, jobID, er, p.Requester, p.Channel, req.Actor, p.ID)
		if err != nil {
			return job, pipeline.Result{}, err
		}
		return job, pipeline.Result{Summary: flows.JobStartedSummary(job)}, nil
	})
	if started {
		b.launchExport(ctx, job, er, nil)
	}
}
