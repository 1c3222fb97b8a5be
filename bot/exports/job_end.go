package exports

import (
	"context"
	"fmt"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// Finished shows how an export job ended, by the runner that closed it: its
// progress message in its final state and, when the command came to this
// replica, an answer to it.
func (o exportOp) Finished(ctx context.Context, job audit.Job, summary string, delivered bool, err error) {
	b := o.b
	b.releaseExport(ctx, job.Requester, job.ID)
	var req *transport.Request
	if r, ok := b.reqs.LoadAndDelete(job.ID); ok {
		req = r.(*transport.Request)
	}
	answerTo := req
	if answerTo == nil {
		answerTo = &transport.Request{Actor: job.Requester, Channel: job.Channel, Ref: transport.NewRef()}
	}
	ex := &exporter{b: b, to: job.Requester.UserID, jobID: job.ID, started: job.CreatedAt,
		progressChannel: job.MessageChannel, progressTS: job.MessageTS, pages: 2}
	if r, ok := b.runs.LoadAndDelete(job.ID); ok {
		ex = r.(*exporter)
	} else if er, rerr := o.request(job); rerr == nil {
		ex.er = er
	} else {
		ex.er.Pool.Name = job.Pool
	}
	var answer string
	v := bulkview.ExportProgressView{Pool: ex.er.Pool.Name, Filter: exportFilterText(ex.er), Users: ex.users, Pages: ex.pages,
		Elapsed: b.Now().Sub(ex.started)}
	switch {
	case job.State == audit.JobCancelled:
		v.Cancelled = true
		answer = "The export was cancelled. Nothing was sent."
	case err != nil:
		v.Failed = b.UserMessage(err, answerTo, string(actions.Export))
		answer = v.Failed
	case delivered:
		v.Finished = true
		answer = fmt.Sprintf("Exported %d users of %s. The CSV is in your direct messages.", ex.users, ex.er.Pool.Name)
		if ex.users == 0 && summary != "" && ex.pages == 2 {
			// Taken over after the file was sent: the counts are the job's.
			answer = "The export finished (" + summary + "). The CSV is in your direct messages."
		}
	}
	if ex.progressTS != "" {
		if uerr := b.UpdateMessage(ctx, ex.progressChannel, ex.progressTS, bulkview.ExportProgress(v)); uerr != nil {
			b.Log.Warn("updating an export's progress")
		}
	}
	if req != nil && answer != "" {
		b.Reply(ctx, req, views.Notice(answer), desk.ReplyEphemeral)
	}
}
