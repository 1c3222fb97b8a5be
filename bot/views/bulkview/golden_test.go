package bulkview

import (
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

// The golden fixtures, as package views' tests define them.
var goldenNow = time.Date(2026, 11, 14, 22, 13, 0, 0, time.UTC)

// tableWords phrases an action as package bot does: from the action table.
func tableWords(action string) views.Words {
	s, _ := actions.Get(actions.Action(action))
	return views.Words{Button: s.Button, Verb: s.Verb, Done: s.Done}
}

// goldenCases are the views of bulk jobs, long checks, export and import kept under
// testdata/ (go test ./bot/views/... -run Golden -update rewrites them).
func goldenCases() map[string]views.Message {
	return map[string]views.Message{
		"bulk_dry_run_approval": BulkDryRun(BulkDryRunView{JobID: "JOB7", Action: "disable", Words: tableWords("disable"), Pool: "prod",
			Matched: 251, Run: 250, First: []string{"alice", "bob"}, Skipped: []BulkSkip{{Who: "dave", Why: "already disabled"}},
			Estimate: 13 * time.Second, Rate: 20, Expires: goldenNow.Add(75 * time.Minute), ApprovalChannel: "C0APPROVALS",
			ApprovalWhy: "it acts on more than 100 users"}),
		"bulk_dry_run_group": BulkDryRun(BulkDryRunView{JobID: "JOB9", Action: "add-to-group", Words: tableWords("add-to-group"), Pool: "prod",
			Matched: 2, Run: 2, First: []string{"alice", "bob"}, Args: map[string]string{"group": "billing-admins"},
			Estimate: time.Second, Rate: 20, Expires: goldenNow.Add(15 * time.Minute)}),
		"import_dry_run": BulkDryRun(BulkDryRunView{JobID: "JOB8", Action: "import", Words: views.Words{Verb: "import", Done: "imported"}, Pool: "prod",
			Matched: 3, Run: 3, First: []string{"ann", "bea", "cid"}, Estimate: 3 * time.Second, Rate: 40, Expires: goldenNow.Add(15 * time.Minute),
			Note: "No invitations: the users get no password they know and cannot sign in until they are invited later. No password is shown."}),
		"import_problems": ImportProblems(ImportProblemsView{File: "users.csv", Problems: []LineProblem{
			{Line: 3, Problem: "That email address doesn't look valid."}, {Line: 4, Problem: `The pool has no group "ops".`}}}),
		"export_progress":     ExportProgress(ExportProgressView{Pool: "prod", Filter: "status CONFIRMED", Users: 1200, Pages: 20, Elapsed: 41 * time.Second}),
		"export_progress_job": ExportProgress(ExportProgressView{Pool: "prod", Filter: "all users", Users: 12400, Pages: 207, Elapsed: 3 * time.Minute, JobEnd: JobEnd{JobID: "JOBX"}}),
		"export_cancelled":    ExportProgress(ExportProgressView{Pool: "prod", Filter: "all users", Users: 600, Pages: 10, Elapsed: 9 * time.Second, JobEnd: JobEnd{JobID: "JOBX", Cancelled: true}}),
		"check_progress": CheckProgress(CheckProgressView{What: "Dry run of bulk disable", Pool: "prod", Filter: "status UNCONFIRMED",
			Read: 4200, Elapsed: 12 * time.Second, JobEnd: JobEnd{JobID: "JOBC"}}),
		"check_cancelled": CheckProgress(CheckProgressView{What: "Dry run of bulk disable", Pool: "prod", Filter: "enabled",
			Read: 1234567, Elapsed: 3 * time.Minute, JobEnd: JobEnd{JobID: "JOBC", Cancelled: true}}),
	}
}

func TestGoldenViews(t *testing.T) {
	for name, m := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			viewstest.Golden(t, name, viewstest.MessageJSON(t, m.Text, m.Blocks))
		})
	}
}

func TestLimitsGoldenViews(t *testing.T) {
	for name, m := range goldenCases() {
		t.Run(name, func(t *testing.T) { viewstest.CheckMessage(t, m.Text, m.Blocks) })
	}
}

// hostile returns n runes of text built to break escaping and limits.
func hostile(n int) string { return viewstest.Hostile(n) }

// hostileBulk renders the bulk views with maximal, hostile input.
func hostileBulk() map[string]views.Message {
	many := make([]string, 200)
	for i := range many {
		many[i] = hostile(300)
	}
	return map[string]views.Message{
		"bulk_dry_run": BulkDryRun(BulkDryRunView{JobID: hostile(3000), Action: hostile(300), Pool: hostile(300), Matched: 10000, Run: 9000,
			First: many, Skipped: []BulkSkip{{Who: hostile(300), Why: hostile(3000)}}, Reason: hostile(5000),
			ApprovalChannel: hostile(300), ApprovalWhy: hostile(3000)}),
		"bulk_progress": BulkProgress(BulkProgressView{JobID: hostile(3000), Action: hostile(300), Pool: hostile(300), Total: 10000,
			Rate: 20, ETA: time.Hour, By: views.ActorView{UserID: "<!channel>"}}),
		"import_problems": ImportProblems(ImportProblemsView{File: hostile(300), Problems: func() []LineProblem {
			out := make([]LineProblem, 10000)
			for i := range out {
				out[i] = LineProblem{Line: i + 2, Problem: hostile(300)}
			}
			return out
		}()}),
		"export_progress": ExportProgress(ExportProgressView{Pool: hostile(300), Filter: hostile(3000), JobEnd: JobEnd{Failed: hostile(5000)}}),
	}
}

func TestLimitsHostileBulkViews(t *testing.T) {
	for name, m := range hostileBulk() {
		t.Run(name, func(t *testing.T) {
			viewstest.CheckMessage(t, m.Text, m.Blocks)
			if strings.Contains(m.Text, "<!channel>") {
				t.Errorf("fallback text lets a mention through: %s", m.Text)
			}
		})
	}
}

func TestLimitsBulkModals(t *testing.T) {
	viewstest.CheckModal(t, BulkUsersModal(BulkUsersFormView{Meta: hostile(5000), Action: hostile(300), Pool: hostile(300), MaxUsers: 10000}))
	viewstest.CheckModal(t, ImportModal(ImportFormView{Meta: hostile(5000), Pool: hostile(300), Columns: hostile(3000), MaxUsers: 10000}))
}
