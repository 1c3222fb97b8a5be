package jobs

import (
	"context"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
)

// CheckArg is the job argument naming the kind of a long check run as a
// whole job (a filtered bulk dry run: CheckDryRun; an import's check:
// CheckImport). Its job is only a check:
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

// CheckImport is the kind of an import's check job.
const CheckImport = "import"

// LongCheckOf says whether a check of n users is long (it then runs in the
// background) and the notice it starts with, saying about how long it takes.
func (b *Jobs) LongCheckOf(n int) (views.Message, bool) {
	about := time.Duration(float64(n) / b.BulkLimits.Rate("UserRead") * float64(time.Second))
	return bulkview.DryRunUnderWay(n, about), n > longCheckUsers
}

// longCheckUsers is how many users make a check long: it then says first that
// it is under way and about how long it will take, and runs as a check job
// (package longjobs) instead of holding a worker for minutes.
const longCheckUsers = 200

// shortCheckTimeout bounds a check of at most longCheckUsers users on the
// worker: at a low quota it can outlast an interaction's deadline. It still
// ends with the bot.
const shortCheckTimeout = 15 * time.Minute

// CheckNow runs a short check (LongCheckOf says it is not long) on the worker
// with its own time bound.
func (b *Jobs) CheckNow(ctx context.Context, check func(ctx context.Context)) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shortCheckTimeout)
	defer cancel()
	defer context.AfterFunc(b.runContext(), cancel)()
	check(ctx)
}
