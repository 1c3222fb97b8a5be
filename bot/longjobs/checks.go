// Package longjobs runs long checks — a filtered bulk dry run, a dry run of
// many named users, an import's check — as whole jobs (bulk.WholeOp) on the bulk runner, as exports are:
// the command records the job (its kind, what the check needs, requester and
// channel) and the worker only starts it. One replica holds its lease and
// updates its progress message in the requester's direct messages in place;
// Cancel (the requester's, through the same path as a bulk job's) stops it;
// if its replica dies another one runs it again from the beginning. Its
// answer is sent once, after the job's one target is claimed
// (bulk.Attempt.Deliver). What each kind checks lives with its command
// (package commands); this package is the machinery they share.
package longjobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// CheckTimeout bounds one attempt at a check: at the quota's pace a large
// pool takes minutes, longer than an interaction's deadline.
const CheckTimeout = 15 * time.Minute

// Checks is this replica's long checks: those it started or runs. One check
// per person runs in the whole deployment: the person's check hold
// (hold.go) says which.
type Checks struct {
	*jobs.Jobs
	// reqs maps a check job started here to its command, answered when it
	// ends here; runs a check running here to its progress; files a check
	// started here to the content its first attempt reads (an import's file:
	// a takeover downloads it again; the names of a dry run: a takeover
	// reads them from the job's targets).
	reqs, runs, files sync.Map
}

// New returns the long checks run on top of j's runner and state store.
func New(j *jobs.Jobs) *Checks { return &Checks{Jobs: j} }

// Check is a long check to start.
type Check struct {
	// Kind is its jobs.CheckArg; Action the job's action (bulk, import).
	Kind   string
	Action actions.Action
	Pool   config.Pool
	// Spec is what the check needs to run on any replica, stored as JSON.
	Spec   any
	Reason string
	// View is its progress message; Underway, when set, the command's first
	// answer.
	View     bulkview.CheckProgressView
	Underway *views.Message
	// Content, when set, is handed to the first attempt here (TakeContent).
	Content []byte
	// Names, when set, are the users a dry run names, kept with the job as
	// its targets 1 to len(Names) (Names reads them back).
	Names []string
}

// Start records c as a running job, posts its progress message with a Cancel
// button in the requester's direct messages and starts it on this replica.
// One check per person runs in the deployment (the person's check hold), and
// no more than this replica's room for whole jobs: otherwise it says so and
// starts nothing.
func (b *Checks) Start(ctx context.Context, req *transport.Request, c Check) error {
	targets, err := checkTargets(c)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(c.Spec)
	if err != nil {
		return err
	}
	id := "c" + transport.HashKey(req.Ref, c.Kind)
	if won, err := b.hold(ctx, req.Actor, id); err != nil || !won {
		if err == nil {
			b.Reply(ctx, req, views.Notice("You already have a long check running; its answer comes here. Nothing was done."), desk.ReplyEphemeral)
		}
		return err
	}
	slot, room := b.Runner.ReserveWhole()
	if !room {
		b.release(ctx, req.Actor, id)
		b.Reply(ctx, req, views.Notice("Several long checks of many users are already running. Nothing was done; please try again in a few minutes."), desk.ReplyEphemeral)
		return nil
	}
	defer slot.Free() // unless started below
	now := b.Now()
	j, err := b.JobStore.CreateJob(ctx, audit.Job{ID: id, Action: c.Action,
		Pool: c.Pool.Name, PoolID: c.Pool.ID, Args: map[string]string{jobs.CheckArg: c.Kind, "spec": string(raw)}, Reason: c.Reason,
		Requester: req.Actor, Channel: req.Channel, CreatedAt: now, ExpiresAt: now.Add(time.Minute)}, targets)
	if err == nil {
		j, err = b.JobStore.StartJob(ctx, j.ID, req.Actor)
	}
	if err != nil {
		if !errors.Is(err, audit.ErrDuplicate) {
			// (A duplicate is this command taken twice: its job keeps the hold.)
			b.release(ctx, req.Actor, id)
		}
		return fmt.Errorf("recording the check: %w: %w", desk.ErrStateUnavailable, err)
	}
	b.renew(ctx, j)
	b.reqs.Store(j.ID, req)
	if c.Content != nil {
		b.files.Store(j.ID, c.Content)
	}
	if c.Names != nil {
		b.files.Store(j.ID, c.Names)
	}
	if c.Underway != nil {
		b.Reply(ctx, req, *c.Underway, desk.ReplyEphemeral)
	}
	c.View.JobID = j.ID
	msg := bulkview.CheckProgress(c.View)
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
	slot.Start(b.RunContext(), j.ID)
	return nil
}

// TakeContent is the content Start handed to job's first attempt here, once.
func (b *Checks) TakeContent(job audit.Job) ([]byte, bool) {
	c, ok := b.files.LoadAndDelete(job.ID)
	if !ok {
		return nil, false
	}
	content, ok := c.([]byte)
	return content, ok
}

// Request is the command a check job answers: the one this replica took, or,
// when it took the job over, one rebuilt from the job (answered with
// chat.postEphemeral in its channel).
func (b *Checks) Request(job audit.Job) *transport.Request {
	if r, ok := b.reqs.Load(job.ID); ok {
		return r.(*transport.Request)
	}
	return &transport.Request{Actor: job.Requester, Channel: job.Channel, Ref: transport.NewRef()}
}
