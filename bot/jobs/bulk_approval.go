package jobs

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// A bulk job that needs approval (bulk.approval_above, or an action approved
// user by user) goes through the same pending-approval flow as a single-user
// action: a pending action of action "bulk" names the job, the card in the
// rule's channel shows the job's action, size and first users, and an
// approver's Approve starts the job (the conditional StartJob), once.

// requestJobApproval records the pending approval of a confirmed draft and
// posts its card. The confirm click is authorized (the requester must still
// hold bulk) before anything is written.
func (b *Jobs) requestJobApproval(ctx context.Context, req *transport.Request, j audit.Job, pool config.Pool, rule config.ApprovalRule) {
	first, err := b.firstTargets(ctx, j.ID, 10)
	if err != nil {
		b.StateDown(ctx, req, err)
		return
	}
	params := jobApprovalParams(j)
	if j.Action == actions.Import {
		// The approver sees every group the file puts users into.
		groups, err := b.importedGroupsOf(ctx, j.ID)
		if err != nil {
			b.StateDown(ctx, req, err)
			return
		}
		if len(groups) > 0 {
			params["arg.groups"] = strings.Join(groups, ", ")
		}
	}
	if args, _ := flows.ActionDetails(flows.ArgsOf(params), nil); !views.DetailsShowWhole(args, nil) {
		// Nobody approves what the card cannot show whole.
		b.RefuseAsked(ctx, req, jobStep(j, "confirm", pipeline.ByRole, nil), policy.Decision{Reason: "the job's values are too many or too " +
			"long to be shown whole for approval; split it into smaller jobs"})
		return
	}
	now := b.Now()
	expires := now.Add(rule.Expiry.Std())
	if j.ExpiresAt.Before(expires) {
		expires = j.ExpiresAt
	}
	var created audit.Pending
	out, ok := b.Do(ctx, req, jobStep(j, "approval-request", pipeline.ByRole, func(ctx context.Context) error {
		created, err = b.State.Create(ctx, audit.Pending{
			ID: bulk.JobApprovalID(j.ID), Kind: flows.KindApproval, Action: actions.Bulk,
			Target: audit.Target{Pool: j.PoolID}, Pool: pool.Name, Job: j.ID,
			JobApproval: &audit.JobApproval{Action: j.Action, Count: j.ToRun, First: first},
			Params:      params,
			Reason:      j.Reason, Requester: req.Actor, Channel: j.Channel, CreatedAt: now, ExpiresAt: expires,
		})
		return err
	}))
	switch {
	case !ok:
		return
	case errors.Is(out.Err, audit.ErrDuplicate):
		existing, err := b.State.Get(ctx, bulk.JobApprovalID(j.ID))
		switch {
		case err != nil:
			b.StateDown(ctx, req, err)
		case existing.State == audit.StatePending:
			_ = b.SendForApproval(ctx, req, existing, pool, rule)
		default:
			b.Reply(ctx, req, views.TrustedNotice(flows.AlreadyText(existing)), desk.ReplyEphemeral)
		}
		return
	case out.Err != nil:
		b.StateDown(ctx, req, out.Err)
		return
	}
	if err := b.SendForApproval(ctx, req, created, pool, rule); err != nil {
		b.AnswerError(ctx, req, actions.Bulk, err)
	}
}

// firstTargets is the usernames of up to n targets the job will act on.
func (b *Jobs) firstTargets(ctx context.Context, jobID string, n int) ([]string, error) {
	var out []string
	after := -1
	for len(out) < n {
		page, err := b.JobStore.JobTargets(ctx, jobID, after, 100)
		if err != nil {
			return nil, err
		}
		for _, t := range page {
			after = t.Index
			if t.State != audit.TargetSkipped && len(out) < n {
				out = append(out, views.Truncate(cmp.Or(t.Username, t.Input), 130))
			}
		}
		if len(page) < 100 {
			break
		}
	}
	return out, nil
}

// importedGroupsOf is the groups an import job's lines put users into, sorted.
func (b *Jobs) importedGroupsOf(ctx context.Context, jobID string) ([]string, error) {
	seen := map[string]bool{}
	for after := -1; ; {
		page, err := b.JobStore.JobTargets(ctx, jobID, after, 100)
		if err != nil {
			return nil, err
		}
		for _, t := range page {
			after = t.Index
			if t.State == audit.TargetSkipped || t.Data["groups"] == "" {
				continue
			}
			for _, g := range strings.Split(t.Data["groups"], ";") {
				seen[g] = true
			}
		}
		if len(page) < 100 {
			return slices.Sorted(maps.Keys(seen)), nil
		}
	}
}

// ApproveJob runs Approve on a job's approval card as one pipeline step by the
// approver (never the requester, who must still hold bulk): the pending action
// is claimed, then the draft is started — both conditional writes, so two
// approvers or a redelivered click start it once.
func (b *Jobs) ApproveJob(ctx context.Context, req *transport.Request, p audit.Pending, view views.ApprovalView) {
	jobID := p.Job
	step := flows.PendingStep(p, flows.PhaseExec)
	step.Authority = pipeline.ByApprover
	step.Phase, step.Params["job"] = flows.PhaseExecute, jobID
	job, started := b.ApproveStartingJob(ctx, req, p, view, step, flows.JobStartedResult, func(ctx context.Context) (audit.Job, pipeline.Result, error) {
		job, err := b.JobStore.StartJob(ctx, jobID, req.Actor)
		if err != nil {
			var lost *audit.JobError
			if errors.As(err, &lost) {
				return job, pipeline.Result{}, errors.New(jobStateText(lost.Current))
			}
			return job, pipeline.Result{}, err
		}
		return job, pipeline.Result{Summary: flows.JobStartedSummary(job)}, nil
	})
	if started {
		b.LaunchJob(ctx, job)
	}
}

// jobApprovalParams is the args of a job's approval request, so the card shows
// everything the job will do (JobApproval has its action, size and first users).
func jobApprovalParams(j audit.Job) map[string]string {
	params := map[string]string{}
	flows.ArgParams(params, j.Args)
	return params
}

// DiscardRejectedJob drops the draft of a rejected job, so its Confirm button can
// never start it.
func (b *Jobs) DiscardRejectedJob(ctx context.Context, req *transport.Request, p audit.Pending) {
	if _, err := b.JobStore.DiscardJob(ctx, p.Job, req.Actor); err != nil && !errors.Is(err, audit.ErrConflict) {
		b.LogInternal(transport.NewRef(), err, req, string(p.Action))
	}
}
