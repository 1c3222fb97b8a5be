package bulkview

import (
	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// JobEnd is where a whole job (an export, a long check) stands, as its
// progress message shows it: both messages word their state and offer Cancel
// by the same rule, so they cannot drift apart.
type JobEnd struct {
	// JobID is the job a running message's Cancel button stops.
	JobID string
	// Finished, Failed (why it stopped), Cancelled and CancelRequested (asked
	// to, not stopped yet) say how it ended, if it has.
	Finished        bool
	Failed          string
	Cancelled       bool
	CancelRequested bool
}

// State words where the job stands: running, cancelled and finished are the
// job's own words for those states.
func (e JobEnd) State(running, cancelled, finished string) string {
	switch {
	case e.Cancelled:
		return cancelled
	case e.CancelRequested:
		return "cancelling"
	case e.Failed != "":
		return "failed: " + views.EscTrunc(e.Failed, 500)
	case e.Finished:
		return finished
	}
	return running
}

// CancelBlocks is the Cancel button of a job still running (none once it
// ended or Cancel was asked for), asking first with confirm.
func (e JobEnd) CancelBlocks(blockID, label string, confirm *slack.ConfirmationBlockObject) []slack.Block {
	if e.JobID == "" || e.Finished || e.Cancelled || e.CancelRequested || e.Failed != "" {
		return nil
	}
	return []slack.Block{slack.NewActionBlock(blockID, views.ViewButton(ActionIDBulkCancel, label, e.JobID).WithConfirm(confirm))}
}
