package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/longjobs"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// WholeOps is bulk.Config.Whole: long checks (package longjobs runs them),
// and exports (package exports).
func (b *Commands) WholeOps(job audit.Job) bulk.WholeOp {
	switch job.Args[jobs.CheckArg] {
	case jobs.CheckDryRun:
		return dryRunOp{b}
	case jobs.CheckImport:
		return importCheckOp{b}
	}
	return b.Exports.WholeOps(job)
}

// dryRunSpec is what a dry run's check job needs to run again on any
// replica: the bulk action and its arguments, and the filter, or the names
// (kept as the job's targets, see package longjobs) when Named.
type dryRunSpec struct {
	Action        actions.Action    `json:"action"`
	Args          map[string]string `json:"args,omitempty"`
	Filter        *desk.ListSession `json:"filter,omitempty"`
	Named         bool              `json:"named,omitempty"`
	CreatedBefore int64             `json:"created_before,omitempty"` // Unix seconds; 0: any
}

// startDryRunCheck runs a dry run of a filter or of many named users as a
// check job, starting with underway when not nil.
func (b *Commands) startDryRunCheck(ctx context.Context, req *transport.Request, br jobs.BulkRequest, underway *views.Message) error {
	spec := dryRunSpec{Action: br.Spec.Action, Args: br.Args, Filter: br.Filter, Named: br.Filter == nil}
	if !br.CreatedBefore.IsZero() {
		spec.CreatedBefore = br.CreatedBefore.Unix()
	}
	c := longjobs.Check{Kind: jobs.CheckDryRun, Action: actions.Bulk, Pool: br.Pool, Spec: spec,
		Reason: br.Reason, View: dryRunCheckView(br), Underway: underway}
	if spec.Named {
		c.Names = br.Inputs
	}
	return b.Checks.Start(ctx, req, c)
}

// dryRunCheckView is the progress message of a filtered dry run.
func dryRunCheckView(br jobs.BulkRequest) bulkview.CheckProgressView {
	return bulkview.CheckProgressView{What: "Dry run of bulk " + string(br.Spec.Action), Pool: br.Pool.Name, Filter: bulkFilterText(br)}
}

// dryRunOp runs a filtered dry run's check job.
type dryRunOp struct{ b *Commands }

// request rebuilds the dry run's bulk request from its job; the pool must
// still be configured with the same id. A dry run of named users has no
// names in it yet (see names).
func (o dryRunOp) request(job audit.Job) (jobs.BulkRequest, error) {
	var spec dryRunSpec
	if err := json.Unmarshal([]byte(job.Args["spec"]), &spec); err != nil {
		return jobs.BulkRequest{}, fmt.Errorf("the check job %s is not valid: %w", job.ID, err)
	}
	s, ok := actions.Get(spec.Action)
	if !ok || !s.RunsInBulk() {
		return jobs.BulkRequest{}, fmt.Errorf("the check job %s names no bulk action", job.ID)
	}
	pool, ok := o.b.Cfg.PoolByName(job.Pool)
	if !ok || pool.ID != job.PoolID {
		return jobs.BulkRequest{}, desk.Refusedf("Nothing was done: this dry run's pool is no longer configured.")
	}
	br := jobs.BulkRequest{Spec: s, Args: spec.Args, Pool: pool, Reason: job.Reason, Filter: spec.Filter}
	if !spec.Named && spec.Filter == nil {
		return jobs.BulkRequest{}, fmt.Errorf("the check job %s names neither users nor a filter", job.ID)
	}
	if spec.CreatedBefore != 0 {
		br.CreatedBefore = time.Unix(spec.CreatedBefore, 0)
	}
	return br, nil
}

// deniedError is a check the pipeline refused: answered as a command's
// denial is ("Not allowed: …").
type deniedError struct{ why string }

func (e deniedError) Error() string { return "not allowed: " + e.why }

// Run resolves every target of the filter as one audited step by the
// requester (authorized again now, on whichever replica runs it), then claims
// the delivery and stores and shows the draft.
func (o dryRunOp) Run(ctx context.Context, job audit.Job, a bulk.Attempt) (string, error) {
	b := o.b
	br, err := o.request(job)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, longjobs.CheckTimeout)
	defer cancel()
	if br.Filter == nil {
		if br.Inputs, err = b.Checks.Names(ctx, job); err != nil {
			return "", err
		}
	}
	req := b.Checks.Request(job)
	run := b.Checks.NewRun(ctx, job, dryRunCheckView(br))
	br.Read = func(users int) { run.Progress(ctx, users) }
	var targets []audit.JobTarget
	step := b.dryRunStep(ctx, req, &br, a.AuditID, &targets)
	step.Params["job"] = job.ID
	if a.Resumes != "" {
		step.Params["resumes"] = a.Resumes
	}
	out := b.Pipe.Do(ctx, req.Pipe(), step)
	switch {
	case out.Denied != "":
		return "", deniedError{out.Denied}
	case out.Duplicate:
		return "", errDuplicateCheck
	case out.Err != nil:
		return fmt.Sprintf("stopped after %d users", run.Read()), out.Err
	}
	if err := a.Deliver(ctx); err != nil {
		return "", err
	}
	// Delivery is claimed: a cancel from now on no longer stops the draft.
	dctx, stop := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer stop()
	if err := b.draft(dctx, req, br, targets); err != nil {
		return "", err
	}
	return fmt.Sprintf("dry run: %d targets", len(targets)), nil
}

// Finished shows how the dry run ended: its progress message in its final
// state and, when it failed or was cancelled, the answer to its command.
func (o dryRunOp) Finished(ctx context.Context, job audit.Job, summary string, delivered bool, err error) {
	view := bulkview.CheckProgressView{What: "Dry run of bulk", Pool: job.Pool}
	if br, rerr := o.request(job); rerr == nil {
		view = dryRunCheckView(br)
		if br.Filter == nil {
			view.Filter = fmt.Sprintf("%d users named", job.Total-1)
		}
	}
	o.b.Checks.Finish(ctx, job, view, delivered, err, o.b.checkEnding(ctx, actions.Bulk))
}

// checkEnding answers a check of action that failed: a denial as a
// command's is, a usage problem with the action's usage, anything else in a
// plain sentence.
func (b *Commands) checkEnding(ctx context.Context, action actions.Action) longjobs.Ending {
	return longjobs.Ending{
		Answer: func(req *transport.Request, err error) {
			if d, ok := errors.AsType[deniedError](err); ok {
				b.Reply(ctx, req, views.Notice("Not allowed: "+d.why), desk.ReplyEphemeral)
				return
			}
			b.AnswerError(ctx, req, action, err)
		},
		Text: func(req *transport.Request, err error) string {
			if d, ok := errors.AsType[deniedError](err); ok {
				return "Not allowed: " + d.why
			}
			if ue, ok := errors.AsType[*desk.UsageError](err); ok {
				return ue.Problem
			}
			return b.UserMessage(err, req, string(action))
		},
	}
}
