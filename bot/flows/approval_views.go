package flows

import (
	"fmt"
	"slices"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/desk"
	"github.com/cognito-bot/cognito-bot/bot/transport"
	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// IsJobApproval reports whether p is the approval of a bulk job.
func IsJobApproval(p audit.Pending) bool {
	return p.Action == actions.Bulk && p.Job != "" && p.JobApproval != nil
}

// jobApprovalView is the approval card's view of a job.
func jobApprovalView(p audit.Pending) *views.JobApprovalView {
	return &views.JobApprovalView{JobID: p.Job, Count: p.JobApproval.Count, First: slices.Clone(p.JobApproval.First)}
}

// JobStartedResult is what an approved job's card says once the job started.
const JobStartedResult = "job started; progress in the requester's direct messages"

// JobStartedSummary is what the audit log and the approval say a start did.
func JobStartedSummary(j audit.Job) string {
	if j.Action == actions.Export {
		return "started export job " + j.ID
	}
	return fmt.Sprintf("started bulk %s on %d users", j.Action, j.ToRun)
}

// ExportStartedResult is what an approved export's card says once it started.
const ExportStartedResult = "export started; its progress and the CSV are in the requester's direct messages"

// startedResult is what an approval's card says once its job started.
func startedResult(j audit.Job) string {
	if j.Action == actions.Export {
		return ExportStartedResult
	}
	return JobStartedResult
}

// ExportJobOf is the id of the export job that approval pendingID starts.
func ExportJobOf(pendingID string) string {
	return "x" + transport.HashKey(pendingID, string(actions.Export))
}

// exportApprovalView is the approval card of an export: what it reads, not a user.
func exportApprovalView(p audit.Pending, pool config.Pool) views.ApprovalView {
	return views.ApprovalView{ID: p.ID, Action: string(p.Action), Words: Words(actions.Export), Requester: desk.ToActorView(p.Requester),
		Pool: desk.ToPoolView(pool), Reason: p.Reason, Created: p.CreatedAt, Expires: p.ExpiresAt,
		Subject: "the users of " + pool.Name,
		Args:    map[string]string{"filter": p.Params["filter"], "attributes": p.Params["attributes"], "with groups": p.Params["with_groups"]}}
}
