// Package flows is what happens after a command: pending actions waiting for
// a confirm or an approval, the decision on them (each re-authorized, run once
// by a conditional write), break-glass, the caller check, reminders and the
// sweeper that closes what expired or was abandoned. Every step ends in the
// pipeline. It imports desk and transport; the long-running work and the
// commands above it are reached only through JobHooks and CommandHooks.
package flows

import (
	"context"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Flows is what happens after a command: pending confirmations and
// approvals, decisions, break-glass, the caller check, reasons, reminders and
// the sweeper. It builds on the shared Desk; the work that runs long (bulk
// jobs, exports, schedules) and the commands themselves are reached through
// JobHooks and CommandHooks, which bot.New sets.
type Flows struct {
	*desk.Desk
	// SweepEvery is how often expired requests and abandoned actions are closed.
	SweepEvery time.Duration
	// AbandonAfter is how long past its deadline an open audit intent counts
	// as abandoned by a bot that stopped.
	AbandonAfter time.Duration
	// JobStore keeps bulk jobs and each requester's bulk volume; nil when the
	// state store keeps none (then no bulk job runs).
	JobStore desk.JobStore
	// JobHooks carries an approved job, export or scheduled action on.
	JobHooks JobHooks
	// CommandHooks asks for a single-user action again, as typed.
	CommandHooks CommandHooks
}

// JobHooks is the long-running work a flow hands on (package jobs
// implements it): an approved bulk job or export, the final operation of a
// scheduled or delayed action, the schedules due, the words a prompt adds
// for an action that runs later, and a user's pending deletion.
type JobHooks interface {
	ApproveJob(ctx context.Context, req *transport.Request, p audit.Pending, view views.ApprovalView)
	DiscardRejectedJob(ctx context.Context, req *transport.Request, p audit.Pending)
	ApproveExport(ctx context.Context, req *transport.Request, p audit.Pending, pool config.Pool, view views.ApprovalView)
	LaunchJob(ctx context.Context, j audit.Job)
	RunSchedules(ctx context.Context)
	PromptDetail(ar ActionRequest) string
	FinalOp(op func(context.Context, pipeline.Services) (pipeline.Result, error), spec actions.Spec, p audit.Pending, pool config.Pool,
		decider audit.Actor, snapshot *audit.TargetSnapshot, stillAllowed func(context.Context, *cognito.User) string) func(context.Context, pipeline.Services) (pipeline.Result, error)
	// PendingDeletion is the user's deletion waiting out its undo window (nil
	// when none), read by the sweeper to settle a delete whose bot stopped.
	PendingDeletion(ctx context.Context, poolID, sub string) (*audit.Scheduled, error)
}

// CommandHooks is what a flow asks of the commands (package commands
// implements it): a single-user action requested again, as its requester
// typed it, after the caller check.
type CommandHooks interface {
	RequestAction(ctx context.Context, req *transport.Request, ar ActionRequest) error
}
