package bot

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// kindImport is the session behind the import modal.
const kindImport = "import"

// importColumns is the header an import CSV may use; custom:* columns too.
const importColumns = "username, email, phone_number, name, custom:*, groups"

// importSession carries `import` across its modal.
type importSession struct {
	Reason string `json:"reason,omitempty"`
	formOrigin
}

func parseImport(b *Bot, req *request, args []string) (invocation, error) {
	if b.jobs == nil {
		return invocation{}, errors.New("import needs a state store that keeps jobs")
	}
	f, err := parseFlags(args, []string{"pool", "reason"}, nil)
	if err != nil {
		return invocation{}, err
	}
	if len(f.pos) > 0 {
		return invocation{}, usagef("`import` takes no users: it opens a form for the CSV.")
	}
	pool, err := b.pool(f)
	if err != nil {
		return invocation{}, err
	}
	if req.TriggerID == "" {
		return invocation{}, usagef("`import` opens a form; run it from Slack.")
	}
	return invocation{Run: func(ctx context.Context) error {
		id := newSessionID()
		s := importSession{Reason: f.values["reason"], formOrigin: originOf(req, pool)}
		if err := b.saveSession(ctx, req, id, kindImport, s); err != nil {
			return err
		}
		if _, err := b.slack.OpenViewContext(ctx, req.TriggerID, views.ImportModal(views.ImportFormView{
			Meta: id, Pool: pool.Name, Columns: importColumns, MaxUsers: maxBulkInputs})); err != nil {
			return usagef("The form could not be opened (%s).", views.Truncate(err.Error(), 100))
		}
		return nil
	}}, nil
}

// importForm is a checked import submission.
type importForm struct {
	file     *slack.File
	suppress bool
}

func readImportForm(v *slack.View) (any, map[string]string) {
	file, problem := formFile(v)
	if problem == "" && file == nil {
		problem = "Attach the CSV of users."
	}
	f := importForm{file: file, suppress: slices.Contains(formSelected(v, views.BlockIDInvite), views.OptionSuppressInvite)}
	if problem != "" {
		return f, map[string]string{views.BlockIDFile: problem}
	}
	return f, nil
}

// importLine is one user of an import CSV.
type importLine struct {
	line     int
	username string
	attrs    map[string]string
	groups   []string
}

// parseImportCSV reads the CSV's lines; problems are per line (the header is
// line 1). It checks what needs no Cognito call.
func parseImportCSV(content []byte) ([]importLine, []views.LineProblem) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, []views.LineProblem{{Line: 1, Problem: "The file has no CSV header."}}
	}
	col := map[string]int{}
	var problems []views.LineProblem
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch {
		case h == "":
			problems = append(problems, views.LineProblem{Line: 1, Problem: fmt.Sprintf("Column %d has no name.", i+1)})
		case h != "groups" && h != "username" && !attrNamePattern.MatchString(h):
			problems = append(problems, views.LineProblem{Line: 1, Problem: fmt.Sprintf("Column %q is not an attribute name.", h)})
		default:
			if _, dup := col[h]; dup {
				problems = append(problems, views.LineProblem{Line: 1, Problem: fmt.Sprintf("Column %q appears twice.", h)})
			}
			col[h] = i
		}
	}
	if _, ok := col["username"]; !ok {
		problems = append(problems, views.LineProblem{Line: 1, Problem: "The header needs a username column."})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var lines []importLine
	seen := map[string]int{}
	for n := 2; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems = append(problems, views.LineProblem{Line: n, Problem: "Not valid CSV."})
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(lines)+len(problems) >= maxBulkInputs {
			return nil, []views.LineProblem{{Line: n, Problem: fmt.Sprintf("More than %d users; split the file.", maxBulkInputs)}}
		}
		l := importLine{line: n, attrs: map[string]string{}}
		for name, i := range col {
			v := ""
			if i < len(rec) {
				v = bulk.UnsafeCell(strings.TrimSpace(rec[i]))
			}
			switch {
			case name == "username":
				l.username = v
			case name == "groups":
				for _, g := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '|' }) {
					if g = strings.TrimSpace(g); g != "" && !slices.Contains(l.groups, g) {
						l.groups = append(l.groups, g)
					}
				}
			case v != "":
				l.attrs[name] = v
			}
		}
		slices.Sort(l.groups)
		p := createProblem(newUserSpec{Username: l.username, Attrs: l.attrs})
		if p == "" && l.attrs["email"] == "" {
			p = "An email is required: Cognito sends the invitation there."
		}
		if prev, dup := seen[l.username]; dup && p == "" {
			p = fmt.Sprintf("Username %q is already on line %d.", l.username, prev)
		}
		if p != "" {
			problems = append(problems, views.LineProblem{Line: n, Problem: p})
			continue
		}
		seen[l.username] = n
		lines = append(lines, l)
	}
	if len(lines) == 0 && len(problems) == 0 {
		problems = append(problems, views.LineProblem{Line: 2, Problem: "The file has no users."})
	}
	return lines, problems
}

// handleImportForm checks every line of the CSV before anything is written —
// the format, then in one audited step the pool's schema, groups and existing
// users — and reports every problem at once; a clean file becomes a draft job
// shown as a dry run.
func (b *Bot) handleImportForm(ctx context.Context, req *request, meta string, form any) {
	f, _ := form.(importForm)
	var s importSession
	pool, ok := b.loadForm(ctx, req, meta, kindImport, &s)
	if !ok {
		return
	}
	if f.file == nil {
		b.reply(ctx, req, views.Notice("This form is no longer valid, so nothing was done."), replyEphemeral)
		return
	}
	content, err := b.download(ctx, f.file, maxListFile)
	if err != nil {
		b.answerError(ctx, req, actions.Import, err)
		return
	}
	lines, problems := parseImportCSV(content)
	b.longCheck(ctx, req, len(lines), func(ctx context.Context) {
		b.checkAndPlanImport(ctx, req, pool, s, f, lines, problems)
	})
}

// checkAndPlanImport checks the parsed lines against the pool and shows every
// problem, or the import's dry run.
func (b *Bot) checkAndPlanImport(ctx context.Context, req *request, pool config.Pool, s importSession, f importForm, lines []importLine, problems []views.LineProblem) {
	// The groups the file puts users into need add-to-group, and a protected
	// one an approval an import cannot wait for: asked before anything else.
	d, err := b.askJob(ctx, req, actions.Import, pool.Name, nil, importedGroups(lines), len(lines), s.Reason)
	if err != nil {
		b.answerError(ctx, req, actions.Import, fmt.Errorf("%w: %w", errStateUnavailable, err))
		return
	}
	if refused := jobRefusal(d, actions.Import); refused != "" {
		b.refuseAsked(ctx, req, pipeline.Step{AuditID: "importask#" + hashKey(req.Ref), Action: actions.Import, Pool: pool.Name,
			Target: targetOfPool(pool), Params: map[string]string{"lines": fmt.Sprint(len(lines)), "groups": strings.Join(importedGroups(lines), ",")},
			Reason: s.Reason}, policy.Decision{Reason: refused})
		return
	}
	if len(lines) > 0 {
		more, ok, err := b.checkImport(ctx, req, pool, lines)
		if !ok || err != nil {
			if err != nil {
				b.answerError(ctx, req, actions.Import, err)
			}
			return
		}
		problems = append(problems, more...)
		slices.SortStableFunc(problems, func(a, b views.LineProblem) int { return a.Line - b.Line })
	}
	if len(problems) > 0 {
		b.reply(ctx, req, views.ImportProblems(views.ImportProblemsView{File: f.file.Name, Problems: problems}), replyEphemeral)
		return
	}
	if err := b.importDryRun(ctx, req, pool, s.Reason, f.suppress, lines, d); err != nil {
		b.answerError(ctx, req, actions.Import, err)
	}
}

// checkImport checks the lines against the pool in one audited step: every
// attribute in the schema (and none Cognito manages), every group existing,
// no username taken.
func (b *Bot) checkImport(ctx context.Context, req *request, pool config.Pool, lines []importLine) ([]views.LineProblem, bool, error) {
	var problems []views.LineProblem
	call := b.bulkLimits.Call
	out, ok := b.do(ctx, req, pipeline.Step{
		AuditID: "importcheck#" + hashKey(req.Ref), Action: actions.Import, Pool: pool.Name, Target: targetOfPool(pool),
		Params: map[string]string{"phase": "validate", "pool_name": pool.Name, "lines": fmt.Sprint(len(lines))},
		Op: func(ctx context.Context, s pipeline.Services) (pipeline.Result, error) {
			var schema cognito.PoolSchema
			if err := call(ctx, "UserPoolRead", func() (err error) { schema, err = s.Users.PoolSchema(ctx, pool.ID); return err }); err != nil {
				return pipeline.Result{}, err
			}
			var groups []cognito.Group
			if err := call(ctx, "UserPoolResourceRead", func() (err error) { groups, err = s.Users.DescribeGroups(ctx, pool.ID); return err }); err != nil {
				return pipeline.Result{}, err
			}
			for _, l := range lines {
				if err := checkAttributes(schema, l.attrs, true); err != nil {
					problems = append(problems, views.LineProblem{Line: l.line, Problem: err.Error()})
					continue
				}
				if g := unknownGroup(groups, l.groups); g != "" {
					problems = append(problems, views.LineProblem{Line: l.line, Problem: fmt.Sprintf("The pool has no group %q.", g)})
					continue
				}
				err := call(ctx, "UserRead", func() error { _, err := s.Users.GetUser(ctx, pool.ID, l.username); return err })
				switch {
				case err == nil:
					problems = append(problems, views.LineProblem{Line: l.line, Problem: fmt.Sprintf("A user named %q already exists.", l.username)})
				case !errors.Is(err, cognito.ErrUserNotFound):
					return pipeline.Result{RequestID: cognito.RequestID(err)}, err
				}
			}
			return pipeline.Result{Summary: fmt.Sprintf("checked %d lines: %d problems", len(lines), len(problems))}, nil
		},
	})
	if !ok {
		return nil, false, nil
	}
	return problems, true, out.Err
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
func (b *Bot) importDryRun(ctx context.Context, req *request, pool config.Pool, reason string, suppress bool, lines []importLine, d policy.Decision) error {
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
	now := b.now()
	expires := now.Add(b.cfg.Confirm.Expiry.Std())
	if needsApproval {
		expires = expires.Add(rule.Expiry.Std())
	}
	job, err := b.jobs.CreateJob(ctx, audit.Job{
		Action: string(actions.Import), Pool: pool.Name, PoolID: pool.ID, Args: map[string]string{"invitation": invitation},
		Reason: reason, Requester: req.Actor, Channel: req.Channel, CreatedAt: now, ExpiresAt: expires,
	}, targets)
	if err != nil {
		return fmt.Errorf("%w: %w", errStateUnavailable, err)
	}
	rate := b.bulkLimits.Rate("UserCreation")
	v := views.BulkDryRunView{JobID: job.ID, Action: string(actions.Import), Words: words(actions.Import), Pool: pool.Name,
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
	b.reply(ctx, req, views.BulkDryRun(v), replyEphemeral)
	return nil
}
