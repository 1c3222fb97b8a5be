package exports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// An export the policy allowed runs as a whole job (bulk.WholeOp) on the
// bulk runner: the job, its filter and columns, requester, channel and
// progress message are in the state table; one replica holds its lease and
// updates the progress message in place, Cancel stops it, and if its replica
// dies another one starts it again from the beginning. The worker that took
// the command only creates the job.

// uploadTimeout bounds sending the spooled CSV once the export is read.
const uploadTimeout = 10 * time.Minute

// startExportJob holds the person's one export, records it as a running job,
// posts its progress message with a Cancel button in the requester's direct
// messages and starts it on this replica (else the next replica with room
// does). A person with an export running anywhere in the deployment, or a
// replica with no room, is told so and nothing starts.
func (b *Exports) startExportJob(ctx context.Context, req *transport.Request, er Request) error {
	id := "x" + transport.HashKey(req.Ref, string(actions.Export))
	switch err := b.holdExport(ctx, req.Actor, id); {
	case errors.Is(err, errExportRunning):
		b.Reply(ctx, req, views.Notice("You already have an export running; its CSV comes to your direct messages. Nothing new was started."), desk.ReplyEphemeral)
		return nil
	case err != nil:
		return err
	}
	// The slot is taken before the job is recorded, so of several exports
	// arriving at once no more are accepted than this replica has room for.
	slot, room := b.Runner.ReserveWhole()
	if !room {
		b.releaseExport(ctx, req.Actor, id)
		b.Reply(ctx, req, views.Notice("Several exports are already running. Nothing was started; please try again in a few minutes."), desk.ReplyEphemeral)
		return nil
	}
	defer slot.Free() // unless started below
	j, err := b.recordExportJob(ctx, id, er, req.Actor, req.Channel, req.Actor, "")
	if errors.Is(err, errExportRunning) {
		b.Reply(ctx, req, views.Notice("You already have an export running; its CSV comes to your direct messages. Nothing new was started."), desk.ReplyEphemeral)
		return nil
	}
	if err != nil {
		return err
	}
	b.reqs.Store(j.ID, req)
	b.launchExport(ctx, j, er, slot)
	return nil
}

// recordExportJob records the export, held already under id, as a job
// started by startedBy (an approver, with the approval's id; else the
// requester, with none); on failure it releases the hold, unless the job is
// there already (a redelivered command: its job keeps the hold).
func (b *Exports) recordExportJob(ctx context.Context, id string, er Request, requester audit.Actor, channel string, startedBy audit.Actor, approval string) (audit.Job, error) {
	spec := exportSpec{Filter: er.Filter, Attributes: er.Attributes, WithGroups: er.WithGroups}
	if !er.CreatedBefore.IsZero() {
		spec.CreatedBefore = er.CreatedBefore.Unix()
	}
	raw, err := json.Marshal(spec)
	if err != nil {
		b.releaseExport(ctx, requester, id)
		return audit.Job{}, err
	}
	args := map[string]string{"export": string(raw)}
	if approval != "" {
		args["approval"] = approval
	}
	now := b.Now()
	j, err := b.JobStore.CreateJob(ctx, audit.Job{ID: id, Action: actions.Export,
		Pool: er.Pool.Name, PoolID: er.Pool.ID, Args: args, Reason: er.Reason,
		Requester: requester, Channel: channel, CreatedAt: now, ExpiresAt: now.Add(time.Minute)},
		[]audit.JobTarget{{Index: 0, Input: er.Pool.Name}})
	if errors.Is(err, audit.ErrDuplicate) {
		return audit.Job{}, errExportRunning
	}
	if err == nil {
		j, err = b.JobStore.StartJob(ctx, j.ID, startedBy)
	}
	if err != nil {
		b.releaseExport(ctx, requester, id)
		return audit.Job{}, fmt.Errorf("recording the export job: %w: %w", desk.ErrStateUnavailable, err)
	}
	b.renewExportHold(ctx, j)
	return j, nil
}

// launchExport posts a running export job's progress message with its
// Cancel button in the requester's direct messages and starts it here: in
// slot, when the caller reserved one, else when this replica has room now
// (else a replica with room takes it).
func (b *Exports) launchExport(ctx context.Context, j audit.Job, er Request, slot *bulk.WholeSlot) {
	msg := bulkview.ExportProgress(bulkview.ExportProgressView{Pool: er.Pool.Name, Filter: exportFilterText(er), JobEnd: bulkview.JobEnd{JobID: j.ID}})
	ch, _, _, err := b.Slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{j.Requester.UserID}})
	if err == nil {
		var ts string
		if _, ts, err = b.Slack.PostMessageContext(ctx, ch.ID, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)); err == nil {
			err = b.JobStore.SetJobMessage(ctx, j.ID, ch.ID, ts)
		}
	}
	if err != nil {
		b.Log.Warn("posting an export's progress message", zap.String("job", j.ID), zap.Error(err))
	}
	if slot != nil {
		slot.Start(b.RunContext(), j.ID)
		return
	}
	b.Runner.StartWhole(b.RunContext(), j.ID)
}

// Launch posts a started export job's progress message in its requester's
// direct messages and starts it here when this replica has room (jobs.LaunchJob
// hands an export job on to it). A job whose request cannot be rebuilt is
// started all the same: it fails with a sentence.
func (b *Exports) Launch(ctx context.Context, j audit.Job) {
	if er, err := (exportOp{b}).request(j); err == nil {
		b.launchExport(ctx, j, er, nil)
	} else {
		b.Runner.StartWhole(b.RunContext(), j.ID)
	}
}

// WholeOps is bulk.Config.Whole: exports are whole jobs.
func (b *Exports) WholeOps(job audit.Job) bulk.WholeOp {
	if job.Action == actions.Export {
		return exportOp{b}
	}
	return nil
}

// exportOp runs an export job.
type exportOp struct{ b *Exports }

// request rebuilds the export's request from its job; the pool must still be
// configured with the same id.
func (o exportOp) request(job audit.Job) (Request, error) {
	var spec exportSpec
	if err := json.Unmarshal([]byte(job.Args["export"]), &spec); err != nil {
		return Request{}, fmt.Errorf("the export job %s is not valid: %w", job.ID, err)
	}
	pool, ok := o.b.Cfg.PoolByName(job.Pool)
	if !ok || pool.ID != job.PoolID {
		return Request{}, desk.Refusedf("Nothing was exported: this export's pool is no longer configured.")
	}
	er := Request{Pool: pool, Filter: spec.Filter, Attributes: spec.Attributes, WithGroups: spec.WithGroups, Reason: job.Reason}
	if spec.CreatedBefore != 0 {
		er.CreatedBefore = time.Unix(spec.CreatedBefore, 0)
	}
	return er, nil
}

// Run streams the export to a spool file as one audited step by the
// requester (authorized again now), then claims the delivery and uploads it.
func (o exportOp) Run(ctx context.Context, job audit.Job, a bulk.Attempt) (string, error) {
	b := o.b
	er, err := o.request(job)
	if err != nil {
		return "", err
	}
	b.renewExportHold(ctx, job)
	spool, err := newSpool()
	if err != nil {
		return "", fmt.Errorf("%w: %w", desk.ErrNoSpool, err)
	}
	defer spool.remove()
	if job.MessageTS == "" {
		// Taken by a runner before its message was recorded.
		if fresh, err := b.JobStore.GetJob(ctx, job.ID); err == nil {
			job.MessageChannel, job.MessageTS = fresh.MessageChannel, fresh.MessageTS
		}
	}
	ex := &exporter{b: b, to: job.Requester.UserID, er: er, started: b.Now(), out: spool, jobID: job.ID,
		progressChannel: job.MessageChannel, progressTS: job.MessageTS}
	b.runs.Store(job.ID, ex)
	step := Step(er)
	step.AuditID, step.Params["job"], step.ApprovalID = a.AuditID, job.ID, job.Args["approval"]
	if a.Resumes != "" {
		step.Params["resumes"] = a.Resumes
	}
	step.Op = func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
		if err := ex.run(ctx, s.Users); err != nil {
			return pipeline.Result{RequestID: cognito.RequestID(err), Summary: fmt.Sprintf("stopped after %d users", ex.users)}, err
		}
		if err := a.Deliver(ctx); err != nil {
			return pipeline.Result{Summary: fmt.Sprintf("read %d users; not sent", ex.users)}, err
		}
		// Delivery is claimed: a cancel from now on no longer stops the upload.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), uploadTimeout)
		defer cancel()
		content, size, err := spool.contents()
		if err == nil {
			err = b.SendFile(uctx, ex.to, fmt.Sprintf("export-%s-%s.csv", er.Pool.Name, b.Now().UTC().Format("20060102-150405")),
				"Export of "+er.Pool.Name, fmt.Sprintf("Export of %s (%s): %d users.", er.Pool.Name, exportFilterText(er), ex.users), content, size)
		}
		if err != nil {
			return pipeline.Result{Summary: fmt.Sprintf("read %d users; sending failed", ex.users)}, fmt.Errorf("sending the export: %w", err)
		}
		return pipeline.Result{Summary: fmt.Sprintf("exported %d users", ex.users)}, nil
	}
	out := b.Pipe.Do(ctx, pipeline.Request{Actor: job.Requester, Channel: job.Channel, EnvelopeID: "job#" + job.ID}, step)
	switch {
	case out.Denied != "":
		return "", desk.Refusedf("Not allowed: %s.", out.Denied)
	case out.Err != nil:
		return fmt.Sprintf("stopped after %d users", ex.users), out.Err
	}
	return fmt.Sprintf("exported %d users", ex.users), nil
}
