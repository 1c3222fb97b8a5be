// Package bot is the Slack side of cognito-bot, wired: New checks the
// dependencies and builds the layers — transport (Socket Mode, acks, queues,
// drain), desk (what every part shares), flows (pending actions and their
// decisions), jobs (long-running work), usercmd and commands (the /cognito
// commands) — and Run serves until its context ends. What remains here is
// the routing of button action ids and modal callback ids to their handlers.
// Every command, click and form ends in one pipeline (package pipeline);
// the bot holds no user directory of its own.
package bot

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/commands"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/exports"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/longjobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Config carries the bot's dependencies. Every field without a default is required,
// so a bot can never run without its audit log.
type Config struct {
	// Settings is the validated configuration (pools, roles, approvals, expiries).
	Settings *config.Config
	// Users reaches Cognito; it is handed to the pipeline and kept nowhere else.
	Users pipeline.Directory
	// Audit records every attempt; the bot fails closed when it cannot write.
	Audit pipeline.AuditLog
	// State holds pending actions and sessions shared by all replicas.
	State StateStore
	// Policy authorizes actors, on commands and again on every click.
	Policy Policy
	// Slack posts and updates messages. The socketmode client usually serves.
	Slack SlackAPI
	// Logger receives structured logs with IDs only; nil means no logging.
	Logger *zap.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// WorkTimeout bounds the work done for one envelope, counted from its
	// arrival; 0 means 60 s.
	WorkTimeout time.Duration
	// SweepInterval is how often expired requests and abandoned actions are
	// closed; 0 means 30 s.
	SweepInterval time.Duration
	// MaxConcurrent bounds envelopes handled at once (acks are never delayed by it); 0 means 16.
	MaxConcurrent int
	// QueueSize bounds envelopes waiting for a handler; past it people are told the
	// bot is busy. 0 means 512.
	QueueSize int
	// PerUserRate and PerUserBurst bound how fast one person's interactions are
	// taken on, so one person's flood delays no one else; past them up to
	// PerUserQueue more wait in the person's own queue. 0 means
	// Settings.Slack.PerUser (2/s, burst 8, queue 20 by default).
	PerUserRate  float64
	PerUserBurst int
	PerUserQueue int
	// AbandonAfter is how long past its deadline an audit intent still open
	// counts as abandoned by a bot that stopped; 0 means 5 minutes.
	AbandonAfter time.Duration
	// Observer is told about envelopes, acks, the queue and every step; nil means none.
	Observer Observer
	// ShutdownTimeout bounds how long Run waits for queued and in-flight work once
	// ctx ends; 0 means 25 s. Work still running then is cancelled and counted.
	ShutdownTimeout time.Duration
	// OnJobLimiterWait, when set, is told how long each call of a bulk job,
	// export or long check waited for its quota category's job limiter.
	OnJobLimiterWait func(category string, waited time.Duration)
	// BulkReserve is the share of every Cognito quota bulk jobs leave to
	// interactive commands; 0 means 0.2, a negative value none.
	BulkReserve float64
	// BulkLease is how long a replica's lease on a bulk job lasts; another
	// replica takes a job over at most 4/3 of it after its runner stopped. 0
	// means 10 s.
	BulkLease time.Duration
	// BulkHeartbeat is how often a bulk job's lease is renewed and lapsed jobs
	// are looked for; 0 means a third of BulkLease.
	BulkHeartbeat time.Duration
	// BulkProgressEvery spaces progress message updates; 0 means 3 s.
	BulkProgressEvery time.Duration
	// Budget, when set, is this replica's part of the deployment's Cognito
	// budget (internal/budget): bulk job limits follow it, and Run keeps it
	// renewed for as long as the bot runs. Nil: the quotas are this bot's own.
	Budget BudgetShare
	// BulkOwner names this replica in bulk job leases (a pod name, say), so
	// whoever reads a job sees which replica runs it; "" means a random id.
	BulkOwner string
}

// StateStore, Policy and SlackAPI are the bot's dependencies as package desk
// declares them, named here too so callers of Config need not import desk.
type (
	StateStore = desk.StateStore
	Policy     = desk.Policy
	SlackAPI   = desk.SlackAPI
)

// BudgetShare is this replica's part of the deployment's Cognito budget
// (internal/budget.Share): Fraction is read on every limiter wait, and Run
// renews the replica's lease until its context ends.
type BudgetShare interface {
	Fraction() float64
	Run(ctx context.Context)
}

// Bot serves one Socket Mode connection. It keeps no state of its own between
// envelopes: every button resolves through the state store, so several replicas
// behave as one.
type Bot struct {
	// Commands is the commands, on top of the long-running work, the flows
	// and the shared Desk (packages commands, jobs, flows, desk).
	*commands.Commands
	timeout time.Duration
	obs     Observer
	budget  BudgetShare
	// server acks, queues and drains envelopes (package transport) and hands
	// each to handler.
	server *transport.Server
}

// New checks that every dependency is present and returns a ready bot.
func New(c Config) (*Bot, error) {
	var missing []error
	if c.Settings == nil {
		missing = append(missing, errors.New("bot: Settings is required"))
	}
	if c.Users == nil {
		missing = append(missing, errors.New("bot: Users is required"))
	}
	if c.Audit == nil {
		missing = append(missing, errors.New("bot: Audit is required (the bot never acts unaudited)"))
	}
	if c.State == nil {
		missing = append(missing, errors.New("bot: State is required"))
	}
	if c.Policy == nil {
		missing = append(missing, errors.New("bot: Policy is required"))
	}
	if c.Slack == nil {
		missing = append(missing, errors.New("bot: Slack is required"))
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	d := &desk.Desk{Cfg: c.Settings, State: c.State, Policy: c.Policy, Slack: c.Slack, Log: c.Logger, Now: c.Now}
	if d.Log == nil {
		d.Log = zap.NewNop()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	obs := c.Observer
	if obs == nil {
		obs = noObserver{}
	}
	d.Pipe = pipeline.New(c.Users, c.Audit, c.Policy, d.Log.Named("pipeline"), obs)
	f := &flows.Flows{Desk: d, SweepEvery: positiveOr(c.SweepInterval, 30*time.Second), AbandonAfter: positiveOr(c.AbandonAfter, 5*time.Minute)}
	j := jobs.NewJobs(f, obs, positiveOr(c.BulkProgressEvery, 3*time.Second))
	cm := &commands.Commands{OneUser: &usercmd.OneUser{Jobs: j}, Registry: commands.NewRegistry()}
	cm.Checks = longjobs.New(j)
	cm.Exports = exports.New(j)
	j.Exports = cm.Exports
	f.JobHooks, f.CommandHooks = j, cm
	b := &Bot{Commands: cm, timeout: positiveOr(c.WorkTimeout, 60*time.Second), obs: obs}
	b.server = transport.New(transport.Config{
		Handler: handler{b}, Observer: obs, Logger: d.Log, Now: d.Now,
		WorkTimeout: b.timeout, ShutdownTimeout: positiveOr(c.ShutdownTimeout, 25*time.Second),
		Workers: positiveOr(c.MaxConcurrent, 16), QueueSize: positiveOr(c.QueueSize, 512),
		PerUserRate:  positiveOr(c.PerUserRate, positiveOr(c.Settings.Slack.PerUser.Rate, config.DefaultPerUserRate)),
		PerUserBurst: positiveOr(c.PerUserBurst, positiveOr(c.Settings.Slack.PerUser.Burst, config.DefaultPerUserBurst)),
		PerUserQueue: positiveOr(c.PerUserQueue, positiveOr(c.Settings.Slack.PerUser.Queue, config.DefaultPerUserQueue)),
	})
	j.BulkLimits = bulk.NewLimits(c.Settings.Quotas, bulkReserve(c.BulkReserve), c.OnJobLimiterWait)
	if c.Budget != nil {
		b.budget = c.Budget
		j.BulkLimits.SharedBy(c.Budget)
	}
	if store, ok := c.State.(desk.JobStore); ok {
		f.JobStore = store
		j.Runner = bulk.New(bulk.Config{
			Store: store, Pipeline: d.Pipe, Entries: c.Audit, Reporter: jobs.BulkReporter{J: j}, Limits: j.BulkLimits,
			Guard: j.JobGuard, Owner: c.BulkOwner, Ops: j.BulkOps, Whole: cm.WholeOps, MaxWhole: c.Settings.Bulk.MaxExports,
			Lease: c.BulkLease, Heartbeat: c.BulkHeartbeat, ProgressEvery: c.BulkProgressEvery, Logger: d.Log.Named("bulk"), Now: d.Now,
		})
	}
	return b, nil
}

func bulkReserve(r float64) float64 {
	switch {
	case r == 0:
		return 0.2
	case r < 0:
		return 0
	}
	return r
}

func positiveOr[T int | float64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
