package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// A long check (a filtered bulk dry run, an import's check) runs as a whole job (bulk.WholeOp)
// on the bulk runner, as an export does: the command records the job — its
// kind, what the check needs, requester and channel — and the worker only
// starts it. One replica holds its lease and updates its progress message in
// the requester's direct messages in place; Cancel (the requester's, through
// the same path as a bulk job's) stops it; if its replica dies another one
// runs it again from the beginning. Its answer is sent once, after the
// job's one target is claimed (bulk.Attempt.Deliver).

// checkTimeout bounds one attempt at a check: at the quota's pace a large
// pool takes minutes, longer than an interaction's deadline.
const checkTimeout = 15 * time.Minute

// checkJobs is this replica's view of the long checks it started or runs.
type checkJobs struct {
	// byPerson maps a person to the check job they started here ("" while
	// it is being started); reqs a check job started here to its command,
	// answered when it ends here; runs a check running here to its progress;
	// files an import check started here to its file's content, read by its
	// first attempt (a takeover downloads the file again).
	byPerson, reqs, runs, files sync.Map
}

// WholeOps is bulk.Config.Whole: long checks, and what jobs.Jobs runs as
// whole jobs (exports).
func (b *Commands) WholeOps(job audit.Job) bulk.WholeOp {
	switch job.Args[jobs.CheckArg] {
	case jobs.CheckDryRun:
		return dryRunOp{b}
	case jobs.CheckImport:
		return importCheckOp{b}
	}
	return b.Jobs.WholeOps(job)
}

// startCheck records a check of kind as a running job, posts its progress
// message with a Cancel button in the requester's direct messages and starts
// it on this replica. At most one check per person runs here, and no more
// than this replica's room for whole jobs: otherwise it says so and starts
// nothing. underway, when set, is the command's first answer.
func (b *Commands) startCheck(ctx context.Context, req *transport.Request, kind string, action actions.Action, pool config.Pool,
	spec any, reason string, view views.CheckProgressView, underway *views.Message) error {
	who := req.Actor.TeamID + "/" + req.Actor.UserID
	if b.checkRunning(ctx, who) {
		b.Reply(ctx, req, views.Notice("You already have a long check running; its answer comes here. Nothing was done."), desk.ReplyEphemeral)
		return nil
	}
	if !b.Runner.WholeRoom() {
		b.checks.byPerson.Delete(who)
		b.Reply(ctx, req, views.Notice("Several long checks of many users are already running. Nothing was done; please try again in a few minutes."), desk.ReplyEphemeral)
		return nil
	}
	raw, err := json.Marshal(spec)
	if err != nil {
		b.checks.byPerson.Delete(who)
		return err
	}
	now := b.Now()
	j, err := b.JobStore.CreateJob(ctx, audit.Job{ID: "c" + transport.HashKey(req.Ref, kind), Action: action,
		Pool: pool.Name, PoolID: pool.ID, Args: map[string]string{jobs.CheckArg: kind, "spec": string(raw)}, Reason: reason,
		Requester: req.Actor, Channel: req.Channel, CreatedAt: now, ExpiresAt: now.Add(time.Minute)},
		[]audit.JobTarget{{Index: 0, Input: pool.Name}})
	if err == nil {
		j, err = b.JobStore.StartJob(ctx, j.ID, req.Actor)
	}
	if err != nil {
		b.checks.byPerson.Delete(who)
		return fmt.Errorf("recording the check: %w: %w", desk.ErrStateUnavailable, err)
	}
	b.checks.byPerson.Store(who, j.ID)
	b.checks.reqs.Store(j.ID, req)
	if underway != nil {
		b.Reply(ctx, req, *underway, desk.ReplyEphemeral)
	}
	view.JobID = j.ID
	msg := views.CheckProgress(view)
	ch, _, _, err := b.Slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{req.Actor.UserID}})
	if err == nil {
		var ts string
		if _, ts, err = b.Slack.PostMessageContext(ctx, ch.ID, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)); err == nil {
			err = b.JobStore.SetJobMessage(ctx, j.ID, ch.ID, ts)
		}
	}
	if err != nil {
		b.Log.Warn("posting a check's progress message", zap.String("job", j.ID), zap.Error(err))
	}
	b.Runner.StartWhole(b.RunContext(), j.ID)
	return nil
}

// checkRunning reports whether who has a check job running here, and marks
// them as starting one when not. A job it names that has ended (here or on
// another replica) no longer counts.
func (b *Commands) checkRunning(ctx context.Context, who string) bool {
	for range 2 {
		id, busy := b.checks.byPerson.LoadOrStore(who, "")
		if !busy {
			return false
		}
		if id == "" {
			return true // being started right now
		}
		if j, err := b.JobStore.GetJob(ctx, id.(string)); err == nil && j.State != audit.JobRunning {
			b.checks.byPerson.CompareAndDelete(who, id)
			b.checks.reqs.Delete(id)
			continue
		}
		return true
	}
	return true
}

// checkRequest is the command a check job answers: the one this replica
// took, or, when it took the job over, one rebuilt from the job (answered
// with chat.postEphemeral in its channel).
func (b *Commands) checkRequest(job audit.Job, take bool) *transport.Request {
	var r any
	var ok bool
	if take {
		r, ok = b.checks.reqs.LoadAndDelete(job.ID)
	} else {
		r, ok = b.checks.reqs.Load(job.ID)
	}
	if ok {
		return r.(*transport.Request)
	}
	return &transport.Request{Actor: job.Requester, Channel: job.Channel, Ref: transport.NewRef()}
}

// checkRun is one attempt at a check on this replica: what its progress
// message shows.
type checkRun struct {
	b        *Commands
	view     views.CheckProgressView
	started  time.Time
	read     atomic.Int64
	channel  string
	ts       string
	mu       sync.Mutex
	reported time.Time
}

// newCheckRun starts the progress of job's attempt here, finding its
// message (read again when the job was taken before it was recorded).
func (b *Commands) newCheckRun(ctx context.Context, job audit.Job, view views.CheckProgressView) *checkRun {
	if job.MessageTS == "" {
		if fresh, err := b.JobStore.GetJob(ctx, job.ID); err == nil {
			job.MessageChannel, job.MessageTS = fresh.MessageChannel, fresh.MessageTS
		}
	}
	view.JobID = job.ID
	run := &checkRun{b: b, view: view, started: b.Now(), channel: job.MessageChannel, ts: job.MessageTS}
	run.reported = run.started
	b.checks.runs.Store(job.ID, run)
	return run
}

// progress records that users have been read and updates the message at
// most every progress interval.
func (r *checkRun) progress(ctx context.Context, users int) {
	r.read.Store(int64(users))
	now := r.b.Now()
	r.mu.Lock()
	due := now.Sub(r.reported) >= r.b.ProgressEvery
	if due {
		r.reported = now
	}
	r.mu.Unlock()
	if due {
		r.show(ctx, func(*views.CheckProgressView) {})
	}
}

// show updates the progress message with the counts now, as change adjusts them.
func (r *checkRun) show(ctx context.Context, change func(*views.CheckProgressView)) {
	if r.ts == "" {
		return
	}
	v := r.view
	v.Read, v.Elapsed = int(r.read.Load()), r.b.Now().Sub(r.started)
	change(&v)
	if err := r.b.UpdateMessage(ctx, r.channel, r.ts, views.CheckProgress(v)); err != nil {
		r.b.Log.Warn("updating a check's progress", zap.Error(err))
	}
}

// finishCheck shows how a check job ended, by the runner that closed it:
// its progress message in its final state and, unless the answer was
// delivered already, an answer to its command (answer, when it failed;
// failText says why in the message).
func (b *Commands) finishCheck(ctx context.Context, job audit.Job, view views.CheckProgressView, delivered bool, err error,
	answer func(req *transport.Request, err error), failText func(req *transport.Request, err error) string) {
	b.checks.byPerson.CompareAndDelete(job.Requester.TeamID+"/"+job.Requester.UserID, job.ID)
	b.checks.files.Delete(job.ID)
	req := b.checkRequest(job, true)
	run, ok := b.checks.runs.LoadAndDelete(job.ID)
	if !ok {
		// Closed here without running here (cancelled before it started, or
		// delivered by a runner that stopped): the message as the job has it.
		run = &checkRun{b: b, view: view, started: job.CreatedAt, channel: job.MessageChannel, ts: job.MessageTS}
		run.(*checkRun).view.JobID = job.ID
	}
	switch {
	case job.State == audit.JobCancelled:
		run.(*checkRun).show(ctx, func(v *views.CheckProgressView) { v.Cancelled = true })
		b.Reply(ctx, req, views.Notice("The check was cancelled. Nothing was done."), desk.ReplyEphemeral)
	case err != nil:
		run.(*checkRun).show(ctx, func(v *views.CheckProgressView) { v.Failed = failText(req, err) })
		answer(req, err)
	case delivered:
		run.(*checkRun).show(ctx, func(v *views.CheckProgressView) { v.Finished = true })
	}
}
