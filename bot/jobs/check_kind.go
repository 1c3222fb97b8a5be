package jobs

import (
	"context"

	"github.com/cognito-bot/cognito-bot/audit"
)

// CheckArg is the job argument naming the kind of a long check run as a
// whole job (a filtered bulk dry run: CheckDryRun). Its job is only a check:
// it acts on nobody, and what it finds is delivered once as a draft.
const CheckArg = "check"

// CheckDryRun is the kind of a filtered bulk dry run's check job.
const CheckDryRun = "dry-run"

// IsCheck reports whether j is a long check's job rather than a job that acts
// on users or an export.
func IsCheck(j audit.Job) bool { return j.Args[CheckArg] != "" }

// RunContext is the bot's own life, for work started by a command that
// outlives it (a long check's job).
func (b *Jobs) RunContext() context.Context { return b.runContext() }
