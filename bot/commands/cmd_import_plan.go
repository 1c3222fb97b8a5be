package commands

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/auditid"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// importAttempt is how one import check runs: on the worker (or beside it)
// answering the command at once, or as a check job (cmd_import_check.go).
type importAttempt struct {
	// auditID is the check step's audit id; params are added to its entry.
	auditID string
	params  map[string]string
	// deliver claims the right to answer, once per job; nil: no claim.
	deliver func(ctx context.Context) error
	// checked, when set, is told how many lines have been checked.
	checked func(lines int)
}

// errDuplicateCheck is a check whose audited step was already recorded (a
// redelivery): nothing more is said.
var errDuplicateCheck = errors.New("this check was already recorded")

// checkAndPlanImport checks the parsed lines against the pool and shows every
// problem, or the import's dry run.
func (b *Commands) checkAndPlanImport(ctx context.Context, req *transport.Request, pool config.Pool, s importSession, f importForm, lines []importLine, problems []bulkview.LineProblem) {
	err := b.planImport(ctx, req, pool, s, f, lines, problems, importAttempt{auditID: auditid.ForRequest(auditid.ImportCheck, req.Ref)})
	if d, ok := errors.AsType[deniedError](err); ok {
		b.Reply(ctx, req, views.Notice("Not allowed: "+d.why), desk.ReplyEphemeral)
	} else if err != nil && !errors.Is(err, errDuplicateCheck) {
		b.AnswerError(ctx, req, actions.Import, err)
	}
}

// planImport checks the lines against the pool and, once at.deliver has
// claimed the answer, shows every problem or the import's dry run. An error
// is what to answer instead (deniedError: the check was not allowed).
func (b *Commands) planImport(ctx context.Context, req *transport.Request, pool config.Pool, s importSession, f importForm, lines []importLine,
	problems []bulkview.LineProblem, at importAttempt) error {
	deliver := func() (context.Context, context.CancelFunc, error) {
		if at.deliver == nil {
			return ctx, func() {}, nil
		}
		if err := at.deliver(ctx); err != nil {
			return nil, nil, err
		}
		// The answer is claimed: a cancel from now on no longer stops it.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		return dctx, cancel, nil
	}
	// The groups the file puts users into need add-to-group, and a protected
	// one an approval an import cannot wait for: asked before anything else.
	d, err := b.AskJob(ctx, req, actions.Import, pool.Name, nil, importedGroups(lines), len(lines), s.Reason)
	if err != nil {
		return fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
	}
	if refused := jobs.JobRefusal(d, actions.Import); refused != "" {
		dctx, cancel, err := deliver()
		if err != nil {
			return err
		}
		defer cancel()
		b.RefuseAsked(dctx, req, pipeline.Step{AuditID: auditid.ForRequest(auditid.ImportAsk, req.Ref), Action: actions.Import, Pool: pool.Name,
			Target: desk.TargetOfPool(pool), Params: map[string]string{"lines": fmt.Sprint(len(lines)), "groups": strings.Join(importedGroups(lines), ",")},
			Reason: s.Reason}, policy.Decision{Reason: refused})
		return nil
	}
	if len(lines) > 0 {
		more, err := b.checkImport(ctx, req, pool, lines, at)
		if err != nil {
			return err
		}
		problems = append(problems, more...)
		slices.SortStableFunc(problems, func(a, b bulkview.LineProblem) int { return a.Line - b.Line })
	}
	dctx, cancel, err := deliver()
	if err != nil {
		return err
	}
	defer cancel()
	if len(problems) > 0 {
		b.Reply(dctx, req, bulkview.ImportProblems(bulkview.ImportProblemsView{File: f.file.Name, Problems: problems}), desk.ReplyEphemeral)
		return nil
	}
	return b.importDryRun(dctx, req, pool, s.Reason, f.suppress, lines, d)
}

// checkImport checks the lines against the pool in one audited step: every
// attribute in the schema (and none Cognito manages), every group existing,
// no username taken.
func (b *Commands) checkImport(ctx context.Context, req *transport.Request, pool config.Pool, lines []importLine, at importAttempt) ([]bulkview.LineProblem, error) {
	var problems []bulkview.LineProblem
	call := b.BulkLimits.Call
	params := map[string]string{"pool_name": pool.Name, "lines": fmt.Sprint(len(lines))}
	maps.Copy(params, at.params)
	out := b.Pipe.Do(ctx, req.Pipe(), pipeline.Step{
		AuditID: at.auditID, Action: actions.Import, Pool: pool.Name, Target: desk.TargetOfPool(pool),
		Phase: "validate", Params: params,
		Op: func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
			var schema cognito.PoolSchema
			if err := call(ctx, "UserPoolRead", func() (err error) { schema, err = s.Users.PoolSchema(ctx, pool.ID); return err }); err != nil {
				return pipeline.Result{}, err
			}
			var groups []cognito.Group
			if err := call(ctx, "UserPoolResourceRead", func() (err error) { groups, err = s.Users.DescribeGroups(ctx, pool.ID); return err }); err != nil {
				return pipeline.Result{}, err
			}
			for i, l := range lines {
				if at.checked != nil {
					at.checked(i)
				}
				if err := usercmd.CheckAttributes(schema, l.attrs, true); err != nil {
					problems = append(problems, bulkview.LineProblem{Line: l.line, Problem: err.Error()})
					continue
				}
				if g := unknownGroup(groups, l.groups); g != "" {
					problems = append(problems, bulkview.LineProblem{Line: l.line, Problem: fmt.Sprintf("The pool has no group %q.", g)})
					continue
				}
				err := call(ctx, "UserRead", func() error { _, err := s.Users.GetUser(ctx, pool.ID, l.username); return err })
				switch {
				case err == nil:
					problems = append(problems, bulkview.LineProblem{Line: l.line, Problem: fmt.Sprintf("A user named %q already exists.", l.username)})
				case !errors.Is(err, cognito.ErrUserNotFound):
					return pipeline.Result{RequestID: cognito.RequestID(err)}, err
				}
			}
			if at.checked != nil {
				at.checked(len(lines))
			}
			return pipeline.Result{Summary: fmt.Sprintf("checked %d lines: %d problems", len(lines), len(problems))}, nil
		},
	})
	switch {
	case out.Denied != "":
		return nil, deniedError{out.Denied}
	case out.Duplicate:
		return nil, errDuplicateCheck
	}
	return problems, out.Err
}

func unknownGroup(groups []cognito.Group, want []string) string {
	for _, g := range want {
		if !slices.ContainsFunc(groups, func(x cognito.Group) bool { return x.Name == g }) {
			return g
		}
	}
	return ""
}

// importedGroups is every group the lines put users into, each once.
func importedGroups(lines []importLine) []string {
	var out []string
	for _, l := range lines {
		for _, g := range l.groups {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// importDryRun stores the checked lines as a draft import job and shows it,
// with what the policy decided it needs (d).
func (b *Commands) importDryRun(ctx context.Context, req *transport.Request, pool config.Pool, reason string, suppress bool, lines []importLine, d policy.Decision) error {
	targets := make([]audit.JobTarget, len(lines))
	first := make([]string, 0, 10)
	for i, l := range lines {
		data := map[string]string{}
		for k, v := range l.attrs {
			data["attr."+k] = v
		}
		if len(l.groups) > 0 {
			data["groups"] = strings.Join(l.groups, ";")
		}
		targets[i] = audit.JobTarget{Input: l.username, Username: l.username, Data: data}
		if len(first) < 10 {
			first = append(first, l.username)
		}
	}
	rule, needsApproval := d.Rule, d.Verdict == policy.Approve
	invitation := "email"
	if suppress {
		invitation = "suppressed"
	}
	now := b.Now()
	expires := now.Add(b.Cfg.Confirm.Expiry.Std())
	if needsApproval {
		expires = expires.Add(rule.Expiry.Std())
	}
	job, err := b.JobStore.CreateJob(ctx, audit.Job{
		Action: actions.Import, Pool: pool.Name, PoolID: pool.ID, Args: map[string]string{"invitation": invitation},
		Reason: reason, Requester: req.Actor, Channel: req.Channel, CreatedAt: now, ExpiresAt: expires,
	}, targets)
	if err != nil {
		return fmt.Errorf("%w: %w", desk.ErrStateUnavailable, err)
	}
	rate := b.BulkLimits.Rate("UserCreation")
	v := bulkview.BulkDryRunView{JobID: job.ID, Action: string(actions.Import), Words: flows.Words(actions.Import), Pool: pool.Name,
		Matched: len(lines), Run: len(lines), First: first, Rate: rate, Expires: job.ExpiresAt, Reason: reason,
		Note: "Cognito emails each user an invitation with a temporary password."}
	if suppress {
		v.Note = "No invitations: the users get no password they know and cannot sign in until they are invited later. No password is shown."
	}
	if groups := importedGroups(lines); len(groups) > 0 {
		v.Args = map[string]string{"groups": strings.Join(slices.Sorted(slices.Values(groups)), ", ")}
	}
	if rate > 0 {
		v.Estimate = time.Duration(float64(len(lines)) / rate * float64(time.Second))
	}
	if needsApproval {
		v.ApprovalChannel, v.ApprovalWhy = rule.Channel, d.Reason
	}
	b.Reply(ctx, req, bulkview.BulkDryRun(v), desk.ReplyEphemeral)
	return nil
}
