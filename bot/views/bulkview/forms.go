package bulkview

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// Callback and block ids of the bulk users modal and the import modal. The
// pasted list is at state.values[BlockIDBulkUsers][views.FormValueActionID], the
// attached file at state.values[BlockIDFile][FileActionID].
const (
	BulkUsersCallbackID = "bulk_users"
	ImportCallbackID    = "import_users"
	BlockIDBulkUsers    = "bulk_users"
	BlockIDFile         = "file"
	FileActionID        = "file"
	// MaxPaste is the longest list the paste box takes (Slack's input limit);
	// longer lists come as a file.
	MaxPaste = 3000
)

// BulkUsersFormView is the modal of `bulk <action>` without users.
type BulkUsersFormView struct {
	Meta, Action, Pool string
	Words              views.Words
	// MaxUsers is the most users one job takes.
	MaxUsers int
}

// BulkUsersModal asks for the users of a bulk job: pasted, or a file for long
// lists. The submit shows the dry run; nothing changes before Confirm.
func BulkUsersModal(v BulkUsersFormView) slack.ModalViewRequest {
	w := views.WordsFor(v.Words, v.Action)
	paste := slack.NewPlainTextInputBlockElement(views.PlainText("alice\nbob@example.com", views.MaxPlaceholder), views.FormValueActionID).
		WithMultiline(true).WithMaxLength(MaxPaste)
	pasteIn := slack.NewInputBlock(BlockIDBulkUsers, views.PlainText("Usernames or emails", views.MaxInputLabel),
		views.PlainText("One per line or comma-separated.", views.MaxInputLabel), paste)
	pasteIn.Optional = true
	file := slack.NewFileInputBlockElement(FileActionID).WithFileTypes("csv", "txt").WithMaxFiles(1)
	fileIn := slack.NewInputBlock(BlockIDFile, views.PlainText("Or a file, for long lists", views.MaxInputLabel),
		views.PlainText(fmt.Sprintf("A CSV with a username or email column, or one user per line; up to %d users.", v.MaxUsers), views.MaxInputLabel), file)
	fileIn.Optional = true
	blocks := []slack.Block{
		views.SectionBlock(fmt.Sprintf("Which users should the job *%s* in *%s*? You see a dry run first; nothing changes before you confirm.",
			views.EscTrunc(w.Verb, 100), views.EscTrunc(views.OrDash(v.Pool), 100))),
		pasteIn, fileIn,
	}
	return views.Modal(BulkUsersCallbackID, "Bulk "+v.Action, "Dry run", v.Meta, blocks)
}

// ImportFormView is the modal of `import`.
type ImportFormView struct {
	Meta, Pool string
	// Columns are the header names the pool accepts, for the hint.
	Columns  string
	MaxUsers int
}

// ImportModal asks for the CSV of users to create and how they are invited.
func ImportModal(v ImportFormView) slack.ModalViewRequest {
	file := slack.NewFileInputBlockElement(FileActionID).WithFileTypes("csv").WithMaxFiles(1)
	fileIn := slack.NewInputBlock(BlockIDFile, views.PlainText("CSV file", views.MaxInputLabel),
		views.PlainText(fmt.Sprintf("Header: %s. Up to %d users.", v.Columns, v.MaxUsers), views.MaxInputLabel), file)
	box := slack.NewCheckboxGroupsBlockElement(views.FormValueActionID,
		slack.NewOptionBlockObject(views.OptionSuppressInvite, views.PlainText("Don't send invitations", views.MaxOptionText),
			views.PlainText("The users get no password and cannot sign in until invited later.", views.MaxOptionText)))
	inviteIn := slack.NewInputBlock(views.BlockIDInvite, views.PlainText("Invitation", views.MaxInputLabel), nil, box)
	inviteIn.Optional = true
	blocks := []slack.Block{
		views.SectionBlock(fmt.Sprintf("Create users in *%s* from a CSV. Every line is checked before anything is written; "+
			"you then see a dry run and confirm. Cognito emails each user an invitation unless you suppress it.", views.EscTrunc(views.OrDash(v.Pool), 100))),
		fileIn, inviteIn,
	}
	return views.Modal(ImportCallbackID, "Import users", "Check", v.Meta, blocks)
}

// LineProblem is what is wrong with one line of an import CSV (1 is the header).
type LineProblem struct {
	Line    int
	Problem string
}

// ImportProblemsView is an import refused before anything was written.
type ImportProblemsView struct {
	File     string
	Problems []LineProblem
}

// maxProblemLines bounds the problems listed in the message; the count says
// how many there are in all.
const maxProblemLines = 40

// ImportProblems lists every problem found in an import file, one line each.
func ImportProblems(v ImportProblemsView) views.Message {
	shown := v.Problems[:min(maxProblemLines, len(v.Problems))]
	lines := make([]string, len(shown))
	for i, p := range shown {
		lines[i] = fmt.Sprintf("• line %d: %s", p.Line, views.EscTrunc(p.Problem, 200))
	}
	if len(v.Problems) > len(shown) {
		lines = append(lines, fmt.Sprintf("…and %d more", len(v.Problems)-len(shown)))
	}
	head := fmt.Sprintf("*Nothing was imported:* %s has %d problem(s). Fix them and run `import` again.",
		views.EscTrunc(views.OrDash(v.File), 100), len(v.Problems))
	return views.Message{Text: views.FallbackText(fmt.Sprintf("Nothing was imported: %d problems", len(v.Problems))),
		Blocks: []slack.Block{views.SectionBlock(head), views.SectionBlock(strings.Join(lines, "\n"))}}
}
