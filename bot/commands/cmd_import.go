package commands

import (
	"context"
	"errors"
	"slices"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/slack-go/slack"
)

// importSessions are the sessions behind the import modal.
var importSessions = desk.NewSessionKind[importSession]("import")

// importColumns is the header an import CSV may use; custom:* columns too.
const importColumns = "username, email, phone_number, name, custom:*, groups"

// importSession carries `import` across its modal.
type importSession struct {
	Reason string `json:"reason,omitempty"`
	desk.FormOrigin
}

func parseImport(b *Commands, req *transport.Request, args []string) (usercmd.Invocation, error) {
	if b.JobStore == nil {
		return usercmd.Invocation{}, errors.New("import needs a state store that keeps jobs")
	}
	f, err := desk.ParseFlags(args, []string{"pool", "reason"}, nil)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	if len(f.Pos) > 0 {
		return usercmd.Invocation{}, desk.Usagef("`import` takes no users: it opens a form for the CSV.")
	}
	pool, err := b.Pool(f)
	if err != nil {
		return usercmd.Invocation{}, err
	}
	if req.TriggerID == "" {
		return usercmd.Invocation{}, desk.Usagef("`import` opens a form; run it from Slack.")
	}
	return usercmd.Invocation{Run: func(ctx context.Context) error {
		id := desk.NewSessionID()
		s := importSession{Reason: f.Values["reason"], FormOrigin: desk.OriginOf(req, pool)}
		if err := importSessions.Save(ctx, b.Desk, req, id, s); err != nil {
			return err
		}
		if _, err := b.Slack.OpenViewContext(ctx, req.TriggerID, bulkview.ImportModal(bulkview.ImportFormView{
			Meta: id, Pool: pool.Name, Columns: importColumns, MaxUsers: jobs.MaxBulkInputs})); err != nil {
			return desk.Usagef("The form could not be opened (%s).", views.Truncate(err.Error(), 100))
		}
		return nil
	}}, nil
}

// importForm is a checked import submission.
type importForm struct {
	file     *slack.File
	suppress bool
}

// ReadImportForm checks an import submission in the ack: the attached CSV.
func ReadImportForm(v *slack.View) (importForm, map[string]string) {
	file, problem := formFile(v)
	if problem == "" && file == nil {
		problem = "Attach the CSV of users."
	}
	f := importForm{file: file, suppress: slices.Contains(usercmd.FormSelected(v, views.BlockIDInvite), views.OptionSuppressInvite)}
	if problem != "" {
		return f, map[string]string{bulkview.BlockIDFile: problem}
	}
	return f, nil
}

// HandleImportForm checks every line of the CSV before anything is written —
// the format, then in one audited step the pool's schema, groups and existing
// users — and reports every problem at once; a clean file becomes a draft job
// shown as a dry run.
func (b *Commands) HandleImportForm(ctx context.Context, req *transport.Request, meta string, f importForm) {
	s, pool, ok := desk.LoadForm(ctx, b.Desk, req, importSessions, meta)
	if !ok {
		return
	}
	if f.file == nil {
		b.Reply(ctx, req, views.Notice("This form is no longer valid, so nothing was done."), desk.ReplyEphemeral)
		return
	}
	content, err := b.download(ctx, f.file, maxListFile)
	if err != nil {
		b.AnswerError(ctx, req, actions.Import, err)
		return
	}
	lines, problems := parseImportCSV(content)
	if underway, long := b.LongCheckOf(len(lines)); long {
		// Many lines: checked as a background job (cmd_import_check.go).
		if err := b.startImportCheck(ctx, req, pool, s, f, content, underway); err != nil {
			b.AnswerError(ctx, req, actions.Import, err)
		}
		return
	}
	b.CheckNow(ctx, func(ctx context.Context) {
		b.checkAndPlanImport(ctx, req, pool, s, f, lines, problems)
	})
}
