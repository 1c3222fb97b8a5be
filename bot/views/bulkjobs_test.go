package views

import (
	"maps"
	"strings"
	"testing"
	"time"
)

// bulkGolden are the views of bulk jobs, export and import kept under testdata/.
func bulkGolden() map[string]any {
	job := ApprovalView{ID: "jaJOB7", Action: "disable", Words: tableWords("disable"), Requester: goldenActor, Pool: goldenPool,
		Reason: "Offboarding acme", Created: goldenNow, Expires: goldenNow.Add(time.Hour),
		Job: &JobApprovalView{Count: 250, First: []string{"alice", "bob", "carol"}, JobID: "JOB7"}}
	return map[string]any{
		"bulk_dry_run_approval": BulkDryRun(BulkDryRunView{JobID: "JOB7", Action: "disable", Words: tableWords("disable"), Pool: "prod",
			Matched: 251, Run: 250, First: []string{"alice", "bob"}, Skipped: []BulkSkip{{Who: "dave", Why: "already disabled"}},
			Estimate: 13 * time.Second, Rate: 20, Expires: goldenNow.Add(75 * time.Minute), ApprovalChannel: "C0APPROVALS",
			ApprovalWhy: "it acts on more than 100 users"}),
		"bulk_dry_run_group": BulkDryRun(BulkDryRunView{JobID: "JOB9", Action: "add-to-group", Words: tableWords("add-to-group"), Pool: "prod",
			Matched: 2, Run: 2, First: []string{"alice", "bob"}, Args: map[string]string{"group": "billing-admins"},
			Estimate: time.Second, Rate: 20, Expires: goldenNow.Add(15 * time.Minute)}),
		"bulk_approval":          ApprovalCard(job),
		"bulk_approval_approved": ApprovalDecided(job, DecisionView{State: "approved", By: ActorView{UserID: "U0999LEAD"}, At: goldenNow, OK: true, Result: "job started"}),
		"import_dry_run": BulkDryRun(BulkDryRunView{JobID: "JOB8", Action: "import", Words: Words{Verb: "import", Done: "imported"}, Pool: "prod",
			Matched: 3, Run: 3, First: []string{"ann", "bea", "cid"}, Estimate: 3 * time.Second, Rate: 40, Expires: goldenNow.Add(15 * time.Minute),
			Note: "No invitations: the users get no password they know and cannot sign in until they are invited later. No password is shown."}),
		"import_problems": ImportProblems(ImportProblemsView{File: "users.csv", Problems: []LineProblem{
			{Line: 3, Problem: "That email address doesn't look valid."}, {Line: 4, Problem: `The pool has no group "ops".`}}}),
		"export_progress":     ExportProgress(ExportProgressView{Pool: "prod", Filter: "status CONFIRMED", Users: 1200, Pages: 20, Elapsed: 41 * time.Second}),
		"export_progress_job": ExportProgress(ExportProgressView{Pool: "prod", Filter: "all users", Users: 12400, Pages: 207, Elapsed: 3 * time.Minute, JobID: "JOBX"}),
		"export_cancelled":    ExportProgress(ExportProgressView{Pool: "prod", Filter: "all users", Users: 600, Pages: 10, Elapsed: 9 * time.Second, JobID: "JOBX", Cancelled: true}),
	}
}

func init() {
	base := goldenCases
	goldenCases = func() map[string]any {
		m := base()
		maps.Copy(m, bulkGolden())
		return m
	}
}

// hostileBulk renders the bulk views with maximal, hostile input.
func hostileBulk() map[string]Message {
	many := make([]string, 200)
	for i := range many {
		many[i] = hostile(300)
	}
	job := ApprovalView{ID: hostile(3000), Action: hostile(300), Requester: ActorView{UserID: "<!channel>"},
		Pool: PoolView{Name: hostile(300), ID: hostile(300)}, Reason: hostile(5000), Created: time.Unix(1700000000, 0),
		Job: &JobApprovalView{Count: 10000, First: many, JobID: hostile(300)}}
	return map[string]Message{
		"bulk_dry_run": BulkDryRun(BulkDryRunView{JobID: hostile(3000), Action: hostile(300), Pool: hostile(300), Matched: 10000, Run: 9000,
			First: many, Skipped: []BulkSkip{{Who: hostile(300), Why: hostile(3000)}}, Reason: hostile(5000),
			ApprovalChannel: hostile(300), ApprovalWhy: hostile(3000)}),
		"bulk_approval": ApprovalCard(job),
		"bulk_decided":  ApprovalDecided(job, DecisionView{State: "failed", Result: hostile(5000)}),
		"import_problems": ImportProblems(ImportProblemsView{File: hostile(300), Problems: func() []LineProblem {
			out := make([]LineProblem, 10000)
			for i := range out {
				out[i] = LineProblem{Line: i + 2, Problem: hostile(300)}
			}
			return out
		}()}),
		"export_progress": ExportProgress(ExportProgressView{Pool: hostile(300), Filter: hostile(3000), Failed: hostile(5000)}),
	}
}

func TestLimitsHostileBulkViews(t *testing.T) {
	for name, m := range hostileBulk() {
		t.Run(name, func(t *testing.T) {
			checkLimits(t, m)
			if strings.Contains(m.Text, "<!channel>") {
				t.Errorf("fallback text lets a mention through: %s", m.Text)
			}
		})
	}
}

func TestLimitsBulkModals(t *testing.T) {
	checkModalLimits(t, BulkUsersModal(BulkUsersFormView{Meta: hostile(5000), Action: hostile(300), Pool: hostile(300), MaxUsers: 10000}))
	checkModalLimits(t, ImportModal(ImportFormView{Meta: hostile(5000), Pool: hostile(300), Columns: hostile(3000), MaxUsers: 10000}))
}
