package commands

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/jobs"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/usercmd"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// bulkUsersSessions are the sessions behind the bulk users modal.
var bulkUsersSessions = desk.NewSessionKind[bulkUsersSession]("bulk_users")

// maxListFile bounds a file of users (10 000 lines of long emails fit easily);
// a bigger one is refused before it is read whole.
const maxListFile = 2 << 20

// bulkUsersSession carries `bulk <action>` across its modal.
type bulkUsersSession struct {
	Action config.Action     `json:"action"`
	Args   map[string]string `json:"args,omitempty"`
	Reason string            `json:"reason,omitempty"`
	desk.FormOrigin
}

// openBulkUsersForm opens the modal that takes the users of a bulk job.
func (b *Commands) openBulkUsersForm(ctx context.Context, req *transport.Request, br jobs.BulkRequest) error {
	s := bulkUsersSession{Action: br.Spec.Action, Args: br.Args, Reason: br.Reason, FormOrigin: desk.OriginOf(req, br.Pool)}
	id := desk.NewSessionID()
	if err := bulkUsersSessions.Save(ctx, b.Desk, req, id, s); err != nil {
		return err
	}
	_, err := b.Slack.OpenViewContext(ctx, req.TriggerID, bulkview.BulkUsersModal(bulkview.BulkUsersFormView{
		Meta: id, Action: string(br.Spec.Action), Words: flows.Words(br.Spec.Action), Pool: br.Pool.Name, MaxUsers: jobs.MaxBulkInputs}))
	if err != nil {
		return desk.Usagef("The form could not be opened (%s). Name the users on the command line instead.", views.Truncate(err.Error(), 100))
	}
	return nil
}

// bulkUsersForm is a checked submission: the pasted users and the attached file.
type bulkUsersForm struct {
	inputs []string
	file   *slack.File
}

// ReadBulkUsersForm checks the modal in the ack: something given, not too much.
func ReadBulkUsersForm(v *slack.View) (bulkUsersForm, map[string]string) {
	text, _ := usercmd.FormValue(v, bulkview.BlockIDBulkUsers)
	f := bulkUsersForm{inputs: splitList(text)}
	file, problem := formFile(v)
	if problem != "" {
		return f, map[string]string{bulkview.BlockIDFile: problem}
	}
	f.file = file
	switch {
	case len(f.inputs) == 0 && f.file == nil:
		return f, map[string]string{bulkview.BlockIDBulkUsers: "Paste the users, or attach a file."}
	case len(f.inputs) > jobs.MaxBulkInputs:
		return f, map[string]string{bulkview.BlockIDBulkUsers: fmt.Sprintf("At most %d users per job.", jobs.MaxBulkInputs)}
	}
	return f, nil
}

// formFile is the one file attached to a modal's file input, if any.
func formFile(v *slack.View) (*slack.File, string) {
	if v.State == nil {
		return nil, ""
	}
	files := v.State.Values[bulkview.BlockIDFile][bulkview.FileActionID].Files
	switch {
	case len(files) == 0:
		return nil, ""
	case len(files) > 1:
		return nil, "Attach one file."
	case files[0].Size > maxListFile:
		return nil, fmt.Sprintf("The file is too big (at most %d MB).", maxListFile>>20)
	case files[0].URLPrivateDownload == "" && files[0].URLPrivate == "":
		return nil, "Slack did not say where to read the file; attach it again."
	}
	return &files[0], ""
}

// splitList reads users pasted one per line or comma-separated.
func splitList(text string) []string {
	var out []string
	for _, field := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ';' }) {
		if s := strings.TrimSpace(field); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// download reads a file a user attached, with the bot token, refusing one
// larger than max bytes.
func (b *Commands) download(ctx context.Context, f *slack.File, max int) ([]byte, error) {
	url := cmp.Or(f.URLPrivateDownload, f.URLPrivate)
	w := &cappedBuffer{max: max}
	if err := b.Slack.GetFileContext(ctx, url, w); err != nil {
		if errors.Is(err, errTooBig) {
			return nil, desk.Refusedf("The file is too big (at most %d MB).", max>>20)
		}
		return nil, fmt.Errorf("downloading the attached file: %w", err)
	}
	return w.Bytes(), nil
}

var errTooBig = errors.New("file too big")

// cappedBuffer stops a download at max bytes.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.Len()+len(p) > c.max {
		return 0, errTooBig
	}
	return c.Buffer.Write(p)
}

// listFromFile reads the users of a file: a CSV whose header has a username
// (else email) column gives that column; anything else is one user per line
// or comma-separated.
func listFromFile(content []byte) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(content))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return splitList(string(content)), nil
	}
	col := -1
	for _, name := range []string{"username", "email"} {
		if i := slices.IndexFunc(header, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), name) }); i >= 0 {
			col = i
			break
		}
	}
	if col < 0 {
		return splitList(string(content)), nil
	}
	var out []string
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, desk.Refusedf("The file is not a valid CSV (line %d).", line)
		}
		if col < len(rec) && strings.TrimSpace(rec[col]) != "" {
			out = append(out, strings.TrimSpace(rec[col]))
		}
	}
}

// HandleBulkUsersForm runs the dry run of the users the modal gave.
func (b *Commands) HandleBulkUsersForm(ctx context.Context, req *transport.Request, meta string, f bulkUsersForm) {
	s, pool, ok := desk.LoadForm(ctx, b.Desk, req, bulkUsersSessions, meta)
	if !ok {
		return
	}
	spec, known := actions.Get(s.Action)
	if !known || !spec.RunsInBulk() {
		b.Reply(ctx, req, views.Notice("This form is no longer valid, so nothing was done."), desk.ReplyEphemeral)
		return
	}
	inputs := f.inputs
	if f.file != nil {
		content, err := b.download(ctx, f.file, maxListFile)
		if err == nil {
			var more []string
			if more, err = listFromFile(content); err == nil {
				inputs = append(inputs, more...)
			}
		}
		if err != nil {
			b.AnswerError(ctx, req, actions.Bulk, err)
			return
		}
	}
	switch {
	case len(inputs) == 0:
		b.Reply(ctx, req, views.Notice("The file names no users, so there is nothing to do."), desk.ReplyEphemeral)
		return
	case len(inputs) > jobs.MaxBulkInputs:
		b.Reply(ctx, req, views.Notice(fmt.Sprintf("%d users given; at most %d per job. Split the list.", len(inputs), jobs.MaxBulkInputs)), desk.ReplyEphemeral)
		return
	}
	br := jobs.BulkRequest{Spec: spec, Args: s.Args, Pool: pool, Reason: s.Reason, Inputs: inputs}
	if err := b.bulkDryRun(ctx, req, br); err != nil {
		b.AnswerError(ctx, req, actions.Bulk, err)
	}
}
