package commands

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/longjobs"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// An import of many lines is checked as a check job (check_jobs.go). Its file
// must be readable again by a replica that takes the job over: the job keeps
// the Slack file's name and private download URL (never its content), and a
// takeover downloads it again with the bot token, under the same bound as the
// form's download (maxListFile). The replica that took the form hands the
// content it already read to the first attempt in memory.

// importCheckSpec is what an import's check job needs to run on any replica.
type importCheckSpec struct {
	FileName string `json:"file_name"`
	FileURL  string `json:"file_url"`
	Suppress bool   `json:"suppress,omitempty"`
}

// startImportCheck runs the check of a downloaded import file as a check job,
// starting with the same notice as a long check on the worker.
func (b *Commands) startImportCheck(ctx context.Context, req *transport.Request, pool config.Pool, s importSession, f importForm,
	content []byte, underway views.Message) error {
	spec := importCheckSpec{FileName: f.file.Name, FileURL: f.file.URLPrivateDownload, Suppress: f.suppress}
	if spec.FileURL == "" {
		spec.FileURL = f.file.URLPrivate
	}
	return b.Checks.Start(ctx, req, longjobs.Check{Kind: jobs.CheckImport, Action: actions.Import, Pool: pool, Spec: spec,
		Reason: s.Reason, View: importCheckView(spec, pool.Name), Underway: &underway, Content: content})
}

// importCheckView is the progress message of an import's check.
func importCheckView(spec importCheckSpec, pool string) bulkview.CheckProgressView {
	return bulkview.CheckProgressView{What: "Check of the import " + spec.FileName, Pool: pool, Filter: "each line's user"}
}

// importCheckOp runs an import's check job.
type importCheckOp struct{ b *Commands }

func (o importCheckOp) spec(job audit.Job) (importCheckSpec, error) {
	var spec importCheckSpec
	if err := json.Unmarshal([]byte(job.Args["spec"]), &spec); err != nil {
		return spec, fmt.Errorf("the check job %s is not valid: %w", job.ID, err)
	}
	return spec, nil
}

// Run reads the file (as handed over, or downloaded again), checks every
// line against the pool as one audited step by the requester (authorized
// again now), then claims the answer and shows the problems or the plan.
func (o importCheckOp) Run(ctx context.Context, job audit.Job, a bulk.Attempt) (string, error) {
	b := o.b
	spec, err := o.spec(job)
	if err != nil {
		return "", err
	}
	pool, ok := b.Cfg.PoolByName(job.Pool)
	if !ok || pool.ID != job.PoolID {
		return "", desk.Refusedf("Nothing was done: this import's pool is no longer configured.")
	}
	ctx, cancel := context.WithTimeout(ctx, longjobs.CheckTimeout)
	defer cancel()
	file := &slack.File{Name: spec.FileName, URLPrivateDownload: spec.FileURL}
	content, ok := b.Checks.TakeContent(job)
	if !ok {
		if content, err = b.download(ctx, file, maxListFile); err != nil {
			return "", err
		}
	}
	lines, problems := parseImportCSV(content)
	req := b.Checks.Request(job)
	run := b.Checks.NewRun(ctx, job, importCheckView(spec, pool.Name))
	params := map[string]string{"job": job.ID}
	if a.Resumes != "" {
		params["resumes"] = a.Resumes
	}
	err = b.planImport(ctx, req, pool, importSession{Reason: job.Reason}, importForm{file: file, suppress: spec.Suppress}, lines, problems,
		importAttempt{auditID: a.AuditID, params: params, deliver: a.Deliver, checked: func(n int) { run.Progress(ctx, n) }})
	if err != nil {
		return fmt.Sprintf("stopped after %d lines", run.Read()), err
	}
	return fmt.Sprintf("checked %d lines", len(lines)), nil
}

// Finished shows how the check ended: its progress message in its final
// state and, when it failed or was cancelled, the answer to its command.
func (o importCheckOp) Finished(ctx context.Context, job audit.Job, summary string, delivered bool, err error) {
	spec, _ := o.spec(job)
	o.b.Checks.Finish(ctx, job, importCheckView(spec, job.Pool), delivered, err, o.b.checkEnding(ctx, actions.Import))
}
