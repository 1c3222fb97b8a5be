package jobs

import (
	"cmp"
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
// its filter and columns; an approver's Approve runs it, once, as one
// pipeline step by the approver that re-authorizes the requester, and the
// CSV goes to the requester's direct messages.

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

// ApproveExport runs an approved export: the pending approval is claimed
// (PENDING → EXECUTING, once) inside the export's pipeline step.
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
	step := flows.PendingStep(p, flows.PhaseExec)
	step.Authority = pipeline.ByApprover
	maps.Copy(step.Params, ExportStep(er).Params)
	step.Phase = flows.PhaseExecute
	claimed := false
	var claimErr error
	step.Claim = func(ctx context.Context) error {
		_, claimErr = b.State.Transition(ctx, p.ID, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &req.Actor, DecidedAt: b.Now()})
		claimed = claimErr == nil
		return claimErr
	}
	out, ok, users, err := b.runExport(ctx, req, er, step, p.Requester.UserID)
	if !claimed {
		if ok && claimErr != nil {
			b.AnswerClaimLost(ctx, req, claimErr)
		}
		return
	}
	result := fmt.Sprintf("exported %d users; the CSV is in the requester's direct messages", users)
	final, dec := audit.StateDone, views.DecisionView{State: "approved", By: desk.ToActorView(req.Actor), At: b.Now(), OK: true, Result: result}
	if failed := cmp.Or(err, out.Err); failed != nil {
		result = b.UserMessage(failed, req, string(p.Action))
		final, dec.State, dec.OK, dec.Result = audit.StateFailed, "failed", false, result
	}
	if _, err := b.State.Transition(context.WithoutCancel(ctx), p.ID, audit.StateExecuting, final, audit.Update{Result: result}); err != nil {
		b.LogInternal(transport.NewRef(), err, req, string(p.Action))
	}
	b.CloseCard(ctx, req, p, view, dec)
}
