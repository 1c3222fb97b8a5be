package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

func parseBulk(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	if b.JobStore == nil {
		return usercmd.Invocation{}, errors.New("bulk jobs need a state store that keeps jobs")
	}
	if len(args) == 0 {
		return usercmd.Invocation{}, desk.Usagef("Name the action, e.g. `bulk disable alice bob` or `bulk disable --status UNCONFIRMED`.")
	}
	spec, ok := actions.Find(args[0])
	if !ok || !spec.RunsInBulk() {
		return usercmd.Invocation{}, desk.Usagef("`%s` can't run as a bulk job; bulk takes: `%s`.", views.Truncate(args[0], 40),
			strings.Join(actions.BulkNames(), "`, `"))
	}
	f, err := desk.ParseFlags(args[1:], []string{"pool", "reason", "status", "group", "prefix", "created-before"}, []string{"enabled", "disabled"})
	if err != nil {
		return usercmd.Invocation{}, err
	}
	pool, err := b.Pool(f)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	if len(f.Pos) < len(spec.Args) {
		return usercmd.Invocation{}, desk.Usagef("After `%s`, give its %d argument(s) and then the users or a filter.", spec.Action, len(spec.Args))
	}
	opArgs, err := usercmd.ActionArgs(spec, f.Pos[:len(spec.Args)])
	if err != nil {
		return usercmd.Invocation{}, err
	}
	br := jobs.BulkRequest{Spec: spec, Args: opArgs, Pool: pool, Reason: f.Values["reason"], Inputs: f.Pos[len(spec.Args):]}
	filtered := f.Bools["enabled"] || f.Bools["disabled"]
	for _, k := range []string{"status", "group", "prefix", "created-before"} {
		_, set := f.Values[k]
		filtered = filtered || set
	}
	switch {
	case filtered && len(br.Inputs) > 0:
		return usercmd.Invocation{}, desk.Usagef("Give either users or a filter, not both.")
	case !filtered && len(br.Inputs) == 0 && req.TriggerID != "":
		return usercmd.Invocation{Run: func(ctx context.Context) error { return b.openBulkUsersForm(ctx, req, br) }}, nil
	case !filtered && len(br.Inputs) == 0:
		return usercmd.Invocation{}, desk.Usagef("Give the users (up to %d) or a filter such as `--status UNCONFIRMED`.", jobs.MaxBulkInputs)
	case len(br.Inputs) > jobs.MaxBulkInputs:
		return usercmd.Invocation{}, desk.Usagef("At most %d users per job.", jobs.MaxBulkInputs)
	}
	if filtered {
		s, err := filterFlags(f, pool)
		if err != nil {
			return usercmd.Invocation{}, err
		}
		if br.CreatedBefore, err = b.createdBeforeFlag(f); err != nil {
			return usercmd.Invocation{}, err
		}
		br.Filter = &s
	}
	return usercmd.Invocation{Run: func(ctx context.Context) error { return b.bulkDryRun(ctx, req, br) }}, nil
}

// createdBeforeFlag reads --created-before AGE as the instant users must have
// been created before (zero when absent).
func (b *Commands) createdBeforeFlag(f desk.Flags) (time.Time, error) {
	v, ok := f.Values["created-before"]
	if !ok {
		return time.Time{}, nil
	}
	d, err := config.ParseDuration(v)
	if err != nil || d.Std() <= 0 {
		return time.Time{}, desk.Usagef("`--created-before` takes an age such as `30d` or `12h`.")
	}
	return b.Now().Add(-d.Std()), nil
}

// bulkDryRun resolves every target exactly (one audited step), stores the job as
// a draft and shows what it would do. A filter, or more than 200 named users,
// is a long check: it runs as a check job (cmd_bulk_check.go). Its Cognito
// calls take the job limits' share of the quota, so interactive commands keep
// theirs meanwhile.
func (b *Commands) bulkDryRun(ctx context.Context, req *transport.Request, br jobs.BulkRequest) error {
	underway, long := b.LongCheckOf(len(br.Inputs))
	if br.Filter != nil || long {
		if br.Filter != nil {
			return b.startDryRunCheck(ctx, req, br, nil)
		}
		return b.startDryRunCheck(ctx, req, br, &underway)
	}
	b.CheckNow(ctx, func(ctx context.Context) {
		if err := b.dryRun(ctx, req, br); err != nil {
			b.AnswerError(ctx, req, actions.Bulk, err)
		}
	})
	return nil
}

func (b *Commands) dryRun(ctx context.Context, req *transport.Request, br jobs.BulkRequest) error {
	var targets []audit.JobTarget
	out, ok := b.Do(ctx, req, b.dryRunStep(ctx, req, &br, auditid.ForRequest(auditid.BulkPlan, req.Ref), &targets))
	if !ok {
		return nil
	}
	if out.Err != nil {
		return out.Err
	}
	return b.draft(ctx, req, br, targets)
}

// dryRunStep is the dry run as one audited step: it resolves every target
// exactly into *targets.
func (b *Commands) dryRunStep(ctx context.Context, req *transport.Request, br *jobs.BulkRequest, auditID string, targets *[]audit.JobTarget) pipeline.Step {
	br.Guard = b.PreviewGuard(ctx, req, *br)
	return pipeline.Step{
		AuditID: auditID, Action: actions.Bulk, Pool: br.Pool.Name, Target: desk.TargetOfPool(br.Pool),
		Phase: "dry-run", Params: map[string]string{"action": string(br.Spec.Action), "filter": bulkFilterText(*br)},
		Reason: br.Reason,
		Op: func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
			var err error
			if br.Filter != nil {
				*targets, err = b.ResolveFilter(ctx, s.Users, *br)
			} else {
				*targets, err = jobs.ResolveInputs(ctx, s.Users, b.BulkLimits.Call, *br)
			}
			if err != nil {
				return pipeline.Result{RequestID: cognito.RequestID(err)}, err
			}
			return pipeline.Result{Summary: fmt.Sprintf("dry run: %d targets", len(*targets))}, nil
		},
	}
}

// draft stores the dry run's targets as a draft job and shows it with its
// Confirm button (or says nothing matches, or why it may not go ahead).
func (b *Commands) draft(ctx context.Context, req *transport.Request, br jobs.BulkRequest, targets []audit.JobTarget) error {
	if len(targets) == 0 {
		b.Reply(ctx, req, views.Notice("No user matches, so there is nothing to do."), desk.ReplyEphemeral)
		return nil
	}
	run := 0
	for _, t := range targets {
		if t.State != audit.TargetSkipped {
			run++
		}
	}
	d, err := b.AskJob(ctx, req, br.Spec.Action, br.Pool.Name, br.Args, nil, run, br.Reason)
	if err != nil {
		return fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
	}
	if refused := jobs.JobRefusal(d, br.Spec.Action); refused != "" {
		b.RefuseAsked(ctx, req, pipeline.Step{AuditID: auditid.ForRequest(auditid.BulkAsk, req.Ref), Action: actions.Bulk, Pool: br.Pool.Name,
			Target: desk.TargetOfPool(br.Pool), Params: map[string]string{"action": string(br.Spec.Action), "targets": strconv.Itoa(run)},
			Reason: br.Reason}, policy.Decision{Reason: refused})
		return nil
	}
	rule, needsApproval := d.Rule, d.Verdict == policy.Approve
	now := b.Now()
	// A job going for approval stays startable for the approval's life after
	// its requester confirms.
	expires := now.Add(b.Cfg.Confirm.Expiry.Std())
	if needsApproval {
		expires = expires.Add(rule.Expiry.Std())
	}
	job, err := b.JobStore.CreateJob(ctx, audit.Job{
		Action: br.Spec.Action, Pool: br.Pool.Name, PoolID: br.Pool.ID, Args: br.Args, Reason: br.Reason,
		Requester: req.Actor, Channel: req.Channel, CreatedAt: now, ExpiresAt: expires,
	}, targets)
	if err != nil {
		return fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
	}
	v := b.dryRunView(job, br, targets)
	if needsApproval {
		v.ApprovalChannel, v.ApprovalWhy = rule.Channel, d.Reason
	}
	b.Reply(ctx, req, bulkview.BulkDryRun(v), desk.ReplyEphemeral)
	return nil
}

func (b *Commands) dryRunView(job audit.Job, br jobs.BulkRequest, targets []audit.JobTarget) bulkview.BulkDryRunView {
	v := bulkview.BulkDryRunView{JobID: job.ID, Action: string(job.Action), Words: flows.Words(br.Spec.Action), Pool: br.Pool.Name, Args: br.Args,
		Matched: len(targets), Expires: job.ExpiresAt, Reason: br.Reason, Rate: b.BulkLimits.Rate(br.Spec.Quota) / float64(br.Spec.QuotaCallsPerRun())}
	for _, t := range targets {
		if t.State == audit.TargetSkipped {
			v.Skipped = append(v.Skipped, bulkview.BulkSkip{Who: cmp.Or(t.Username, t.Input), Why: t.Note})
			continue
		}
		v.Run++
		if len(v.First) < 10 {
			v.First = append(v.First, t.Username)
		}
	}
	if v.Rate > 0 {
		v.Estimate = time.Duration(float64(v.Run) / v.Rate * float64(time.Second))
	}
	return v
}

func bulkFilterText(br jobs.BulkRequest) string {
	if br.Filter == nil {
		return strconv.Itoa(len(br.Inputs)) + " users named"
	}
	text := jobs.DescribeFilter(*br.Filter)
	if !br.CreatedBefore.IsZero() {
		text += ", created before " + br.CreatedBefore.UTC().Format(time.RFC3339)
	}
	return text
}
