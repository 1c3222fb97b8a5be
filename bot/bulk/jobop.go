package bulk

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// JobOp is a job's work on one target together with what keeps it exact
// across a crash: the rate tokens it spends, taken before its intent is
// written, and how a target whose runner stopped after its intent is settled.
type JobOp struct {
	// Run does the target's work.
	Run TargetOp
	// Tokens lists the quota category of each call Run makes, in order. The
	// runner takes them all before writing the target's intent, so an intent
	// on record means its Cognito calls were about to be made, not queued.
	Tokens func(job audit.Job, t audit.JobTarget) []string
	// Resume settles a target whose runner stopped between its intent and its
	// outcome: it reads the user back and reports reached when the wanted
	// state is there already; otherwise it runs the work again. Nil when the
	// action can neither be read back nor safely repeated: such a target stays
	// "outcome unknown".
	Resume ResumeOp
}

// ResumeOp is JobOp.Resume; reached means the earlier attempt was found to
// have taken effect: the user read back is in the wanted state, and nothing
// was called but the read, or only what is safe to repeat to finish it (a
// bulk delete whose deletion that attempt scheduled disables the user again).
type ResumeOp func(ctx context.Context, s pipeline.Services, call Caller, job audit.Job, t audit.JobTarget) (res pipeline.Result, reached bool, skip string, err error)

// ActionJob is the JobOp of a single-user action of the table; whether and how
// it resumes is the table's Repeatable and Reached. check is the policy's
// guard on each user as read (nil: none).
func ActionJob(spec actions.Spec, check func(cognito.User) string) JobOp {
	op := JobOp{
		Run: ActionOp(spec, check),
		Tokens: func(audit.Job, audit.JobTarget) []string {
			tokens := []string{"UserRead"}
			for range spec.QuotaCallsPerRun() {
				tokens = append(tokens, spec.Quota)
			}
			return tokens
		},
	}
	if spec.Reached == nil && !spec.Repeatable {
		return op
	}
	op.Resume = func(ctx context.Context, s pipeline.Services, call Caller, job audit.Job, t audit.JobTarget) (pipeline.Result, bool, string, error) {
		var u *cognito.User
		err := call(ctx, "UserRead", func() (err error) {
			u, err = s.Users.GetUser(ctx, job.PoolID, t.Username)
			return err
		})
		gone := errors.Is(err, cognito.ErrUserNotFound)
		switch {
		case gone && spec.Reached != nil && spec.Reached(nil, job.Args):
			return pipeline.Result{Summary: "Found " + t.Username + " already " + spec.Done + " (read back after its runner stopped)"}, true, "", nil
		case err != nil:
			return pipeline.Result{RequestID: cognito.RequestID(err)}, false, "", err
		case u.Username != t.Username || (t.Sub != "" && u.Sub != t.Sub):
			return pipeline.Result{}, false, "", errors.New("target changed: this is no longer the user of the dry run (deleted and re-created?)")
		case spec.Reached != nil && spec.Reached(u, job.Args):
			resolved := &audit.Target{Pool: job.PoolID, Username: u.Username, Sub: u.Sub}
			return pipeline.Result{Summary: "Found " + u.Username + " already " + spec.Done + " (read back after its runner stopped)", Resolved: resolved}, true, "", nil
		}
		res, skip, err := act(ctx, s, call, spec, check, job, u)
		return res, false, skip, err
	}
	return op
}

// ImportJob is the JobOp of an import: creating a user is settled by reading
// the username back (there with the line's email: created; absent: create it
// now), then its groups are added, which is safe to repeat.
func ImportJob() JobOp {
	return JobOp{
		Run: ImportOp,
		Tokens: func(_ audit.Job, t audit.JobTarget) []string {
			tokens := []string{"UserCreation"}
			if g := t.Data["groups"]; g != "" {
				for range strings.Split(g, ";") {
					tokens = append(tokens, "UserUpdate")
				}
			}
			return tokens
		},
		Resume: resumeImport,
	}
}

func resumeImport(ctx context.Context, s pipeline.Services, call Caller, job audit.Job, t audit.JobTarget) (pipeline.Result, bool, string, error) {
	var u *cognito.User
	err := call(ctx, "UserRead", func() (err error) {
		u, err = s.Users.GetUser(ctx, job.PoolID, t.Username)
		return err
	})
	if errors.Is(err, cognito.ErrUserNotFound) {
		res, skip, err := ImportOp(ctx, s, call, job, t)
		return res, false, skip, err
	}
	if err != nil {
		return pipeline.Result{RequestID: cognito.RequestID(err)}, false, "", err
	}
	if want := t.Data["attr.email"]; want != "" && !strings.EqualFold(u.Email, want) {
		return pipeline.Result{}, false, "", errors.New("username taken by another user since the dry run; it was not overwritten")
	}
	resolved := &audit.Target{Pool: job.PoolID, Username: u.Username, Sub: u.Sub}
	if g := t.Data["groups"]; g != "" {
		for _, group := range strings.Split(g, ";") {
			if err := addToGroup(ctx, s, call, job, u.Username, group); err != nil {
				return pipeline.Result{Resolved: resolved}, false, "", err
			}
		}
	}
	return pipeline.Result{Summary: "Found " + u.Username + " already created (read back after its runner stopped)", Resolved: resolved}, true, "", nil
}

// purse holds the rate tokens a target paid for before its intent; each of
// its calls spends one of its category instead of waiting again.
type purse struct {
	l    *Limits
	mu   sync.Mutex
	paid map[string]int
}

// prepay waits for every token of tokens, in order.
func (l *Limits) prepay(ctx context.Context, tokens []string) (*purse, error) {
	p := &purse{l: l, paid: map[string]int{}}
	for _, category := range tokens {
		if err := l.of(category).wait(ctx); err != nil {
			return nil, err
		}
		p.paid[category]++
	}
	return p, nil
}

// call is a Caller that spends a paid token first.
func (p *purse) call(ctx context.Context, category string, fn func() error) error {
	p.mu.Lock()
	paid := p.paid[category] > 0
	if paid {
		p.paid[category]--
	}
	p.mu.Unlock()
	return p.l.run(ctx, category, fn, paid)
}
