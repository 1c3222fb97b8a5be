package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// loadJob reads the job a bulk button points at; false means the clicker has
// been answered.
func (b *Jobs) loadJob(ctx context.Context, req *transport.Request, id string) (audit.Job, bool) {
	if b.JobStore == nil {
		b.Reply(ctx, req, views.Notice("This button is not valid."), desk.ReplyEphemeral)
		return audit.Job{}, false
	}
	j, err := b.JobStore.GetJob(ctx, id)
	switch {
	case errors.Is(err, audit.ErrNotFound):
		b.Reply(ctx, req, views.Notice("This job has expired. Please run the command again."), desk.ReplyEphemeral)
		return audit.Job{}, false
	case err != nil:
		b.StateDown(ctx, req, err)
		return audit.Job{}, false
	}
	return j, true
}

// jobStep is an audited step about a whole job (confirm, discard, cancel). Only
// the requester may take it, and a confirm also needs their role to still allow
// bulk jobs; claim is the conditional write that makes it happen once.
func jobStep(j audit.Job, phase pipeline.Phase, authority pipeline.Authority, claim func(context.Context) error) pipeline.Step {
	return pipeline.Step{
		AuditID: auditid.ForJob(string(phase), j.ID), Action: actions.Bulk, Pool: j.Pool, Phase: phase,
		Target:    audit.Target{Pool: j.PoolID},
		Params:    map[string]string{"job": j.ID, "action": string(j.Action), "targets": fmt.Sprint(j.Total)},
		Reason:    j.Reason,
		Authority: authority, Requester: &pipeline.Origin{Actor: j.Requester, Channel: j.Channel}, Claim: claim,
		Policy: &policy.Request{Action: actions.Action(j.Action), Job: &policy.Job{Targets: j.ToRun},
			AddGroups: flows.AddedGroups(actions.Action(j.Action), j.Args)},
	}
}

// BulkConfirm starts a drafted job: the requester confirms, the job becomes
// RUNNING once, a progress message is posted to them and this replica starts it.
func (b *Jobs) BulkConfirm(ctx context.Context, req *transport.Request, id string) {
	j, ok := b.loadJob(ctx, req, id)
	if !ok {
		return
	}
	requester := pipeline.PolicyActor(j.Requester)
	if d := b.Policy.Decide(ctx, pipeline.PolicyActor(req.Actor), policy.Request{Stage: policy.Run, Action: actions.Action(j.Action),
		Channel: req.Channel, Pool: j.Pool, Requester: &requester, RequesterChannel: j.Channel, Job: &policy.Job{Targets: j.ToRun},
		Confirming: true}); !d.Allowed() {
		b.RefuseAsked(ctx, req, jobStep(j, "confirm", pipeline.ByRole, nil), d)
		return
	}
	pool, poolOK := b.Cfg.PoolByName(j.Pool)
	if !poolOK || pool.ID != j.PoolID {
		b.Pipe.Refuse(ctx, req.Pipe(), jobStep(j, "confirm", pipeline.ByRole, nil), "pool no longer configured")
		b.Reply(ctx, req, views.Notice("Nothing was done: this job's pool is no longer configured."), desk.ReplyEphemeral)
		return
	}
	if !b.Now().Before(j.CreatedAt.Add(b.Cfg.Confirm.Expiry.Std())) {
		b.Reply(ctx, req, views.Notice("This job's confirmation has expired. Please run the command again."), desk.ReplyEphemeral)
		return
	}
	d, err := b.StartUnapproved(ctx, req, j)
	if err != nil {
		b.StateDown(ctx, req, err)
		return
	}
	if refused := JobRefusal(d, actions.Action(j.Action)); refused != "" {
		b.RefuseAsked(ctx, req, jobStep(j, "confirm", pipeline.ByRole, nil), policy.Decision{Reason: refused})
		return
	}
	if d.Verdict == policy.Approve {
		b.requestJobApproval(ctx, req, j, pool, d.Rule)
		return
	}
	lost, ok := b.changeJob(ctx, req, j, "confirm", pipeline.ByRole, func(ctx context.Context) error {
		var err error
		j, err = b.JobStore.StartJob(ctx, id, req.Actor)
		return err
	})
	if lost != nil {
		b.Reply(ctx, req, views.Notice(jobStateText(lost.Current)), b.ReplaceIfClicked(req))
	}
	if !ok {
		return
	}
	b.Reply(ctx, req, views.Notice(fmt.Sprintf("Job started: %s on %d users. Progress is in your direct messages.", j.Action, j.Total)), b.ReplaceIfClicked(req))
	b.LaunchJob(ctx, j)
}

// LaunchJob posts a started job's progress message in its requester's direct
// messages and starts running it on this replica (an export job: the
// exports do).
func (b *Jobs) LaunchJob(ctx context.Context, j audit.Job) {
	if j.Action == actions.Export {
		b.Exports.Launch(ctx, j)
		return
	}
	msg := bulkview.BulkProgress(progressView(j, bulk.Progress{Total: j.Total}, false))
	ch, _, _, err := b.Slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{j.Requester.UserID}})
	if err == nil {
		var ts string
		_, ts, err = b.Slack.PostMessageContext(ctx, ch.ID, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...))
		if err == nil {
			err = b.JobStore.SetJobMessage(ctx, j.ID, ch.ID, ts)
		}
	}
	if err != nil {
		b.Log.Warn("posting a job's progress message", zap.String("job", j.ID), zap.Error(err))
	}
	b.Runner.Start(b.runContext(), j.ID)
}

func jobStateText(j audit.Job) string {
	switch j.State {
	case audit.JobRunning:
		return "This job is already running."
	case audit.JobDraft:
		return "This job's confirmation has expired. Please run the command again."
	case audit.JobDiscarded:
		return "This job was cancelled before it started."
	}
	return "This job has already run."
}

// BulkDiscard drops a draft: nothing was done.
func (b *Jobs) BulkDiscard(ctx context.Context, req *transport.Request, id string) {
	j, ok := b.loadJob(ctx, req, id)
	if !ok {
		return
	}
	lost, ok := b.changeJob(ctx, req, j, "discard", pipeline.ByRequester, func(ctx context.Context) error {
		_, err := b.JobStore.DiscardJob(ctx, id, req.Actor)
		return err
	})
	switch {
	case lost != nil:
		b.Reply(ctx, req, views.Notice(jobStateText(lost.Current)), b.ReplaceIfClicked(req))
	case ok:
		b.Reply(ctx, req, views.Notice("Cancelled. Nothing was done."), b.ReplaceIfClicked(req))
	}
}

// BulkCancel asks a running job (a bulk job or an export) to stop; only its
// requester may, or whom the policy lets act for them.
func (b *Jobs) BulkCancel(ctx context.Context, req *transport.Request, id string) {
	j, ok := b.loadJob(ctx, req, id)
	if !ok {
		return
	}
	lost, ok := b.changeJob(ctx, req, j, "cancel", pipeline.ByRequester, func(ctx context.Context) error {
		var err error
		j, err = b.JobStore.CancelJob(ctx, id, req.Actor)
		return err
	})
	switch {
	case lost != nil:
		b.Reply(ctx, req, views.Notice("This job is no longer running."), desk.ReplyEphemeral)
	case ok && IsCheck(j):
		b.Runner.NoteCancel(j.ID)
		b.Reply(ctx, req, views.Notice("Cancelling the check: it stops reading the pool and nothing is drafted."), desk.ReplyEphemeral)
	case ok && j.Action == actions.Export:
		b.Runner.NoteCancel(j.ID)
		b.Reply(ctx, req, views.Notice("Cancelling the export: it stops reading the pool and no file is sent."), desk.ReplyEphemeral)
	case ok:
		// The runner holding the job stops starting targets now if it is this
		// replica's, else at its next heartbeat; the message shows real counts,
		// so it is updated here only from this replica's runner.
		if p, local := b.Runner.NoteCancel(j.ID); local && j.MessageTS != "" {
			v := progressView(j, p, false)
			v.CancelRequested = true
			_ = b.UpdateMessage(ctx, j.MessageChannel, j.MessageTS, bulkview.BulkProgress(v))
		}
		b.Reply(ctx, req, views.Notice("Cancelling: no more users are started; those already in progress finish, and the results CSV says which did not run."), desk.ReplyEphemeral)
	}
}

func progressView(j audit.Job, p bulk.Progress, finished bool) bulkview.BulkProgressView {
	return bulkview.BulkProgressView{JobID: j.ID, Action: string(j.Action), Pool: j.Pool, Total: j.Total, Done: p.Done, Failed: p.Failed,
		Skipped: p.Skipped, Left: p.Left(), Rate: p.Rate, ETA: p.ETA, Finished: finished, Cancelled: p.Cancelled,
		CancelRequested: p.Cancelled && !finished, By: desk.ToActorView(j.Requester)}
}

// BulkReporter shows jobs' progress in their message and sends the results CSV.
type BulkReporter struct{ J *Jobs }

// message finds the job's progress message, reading the job again when the
// runner started before the message was recorded.
func (r BulkReporter) message(ctx context.Context, j audit.Job) (string, string) {
	if j.MessageTS == "" {
		if fresh, err := r.J.JobStore.GetJob(ctx, j.ID); err == nil {
			j = fresh
		}
	}
	return j.MessageChannel, j.MessageTS
}

func (r BulkReporter) Progress(ctx context.Context, j audit.Job, p bulk.Progress) {
	r.J.Obs.BulkProgress(j.ID, j.Total, p.Done, p.Failed, p.Skipped)
	ch, ts := r.message(ctx, j)
	if ts == "" {
		return
	}
	if err := r.J.UpdateMessage(ctx, ch, ts, bulkview.BulkProgress(progressView(j, p, false))); err != nil {
		r.J.Log.Warn("updating a job's progress", zap.String("job", j.ID), zap.Error(err))
	}
}

// Released drops this replica's metric series of a job another replica has
// taken over; that replica reports it from now on.
func (r BulkReporter) Released(j audit.Job) { r.J.Obs.BulkDone(j.ID) }

func (r BulkReporter) Finished(ctx context.Context, j audit.Job, p bulk.Progress, rows []bulk.Row) {
	r.J.Obs.BulkDone(j.ID)
	if ch, ts := r.message(ctx, j); ts != "" {
		if err := r.J.UpdateMessage(ctx, ch, ts, bulkview.BulkProgress(progressView(j, p, true))); err != nil {
			r.J.Log.Warn("updating a job's progress", zap.String("job", j.ID), zap.Error(err))
		}
	}
	if err := r.J.sendCSV(ctx, j.Requester.UserID, fmt.Sprintf("bulk-%s-%s.csv", j.Action, j.ID), "Results of bulk "+string(j.Action),
		fmt.Sprintf("Bulk %s finished: %d done, %d failed, %d skipped, %d not run.", j.Action, p.Done, p.Failed, p.Skipped, p.Left()),
		bulk.ResultsCSV(rows)); err != nil {
		r.J.Log.Error("sending a job's results", zap.String("job", j.ID), zap.Error(err))
	}
}

// sendCSV uploads content to the user's direct messages (personal data stays
// between the bot and them).
func (b *Jobs) sendCSV(ctx context.Context, userID, name, title, comment string, content []byte) error {
	return b.SendFile(ctx, userID, name, title, comment, bytes.NewReader(content), len(content))
}

// SendFile uploads size bytes read from r to the user's direct messages; the
// upload streams from r (files.getUploadURLExternal, a streamed POST,
// files.completeUploadExternal), so a spooled file is never held in memory.
func (b *Jobs) SendFile(ctx context.Context, userID, name, title, comment string, r io.Reader, size int) error {
	ch, _, _, err := b.Slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}})
	if err != nil {
		return err
	}
	_, err = b.Slack.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: name, Title: title, FileSize: size, Reader: r,
		Channel: ch.ID, InitialComment: comment,
	})
	return err
}

// runContext is the bot's own life, for work that outlives one interaction.
func (b *Jobs) runContext() context.Context {
	if ctx := b.RunCtx.Load(); ctx != nil {
		return *ctx
	}
	return context.Background()
}

// changeJob makes one change to a job's state (start, discard, cancel) as a
// pipeline step by the clicker. ok is true when this click made the change;
// lost is what the job had become when someone or something changed it first.
// A refusal or a storage outage has been answered already.
func (b *Jobs) changeJob(ctx context.Context, req *transport.Request, j audit.Job, phase pipeline.Phase, authority pipeline.Authority,
	change func(context.Context) error) (lost *audit.JobError, ok bool) {
	out, done := b.Do(ctx, req, jobStep(j, phase, authority, change))
	switch {
	case !done:
		return nil, false
	case errors.As(out.Err, &lost):
		return lost, false
	case out.Err != nil:
		b.StateDown(ctx, req, out.Err)
		return nil, false
	}
	return nil, true
}
