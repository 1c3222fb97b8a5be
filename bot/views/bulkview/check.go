package bulkview

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// CheckProgressView is a long check (a filtered bulk dry run) running as a
// background job, or how it ended.
type CheckProgressView struct {
	// What is the check, e.g. "Dry run of bulk disable"; Pool and Filter say
	// what it reads.
	What, Pool, Filter string
	// Read is how many users it has read so far.
	Read    int
	Elapsed time.Duration
	// Finished says its answer (the draft) was sent where the command was
	// typed; Failed, when set, is why it stopped.
	Finished bool
	Failed   string
	// JobID is the check's job: a running check shows a Cancel button for it.
	JobID string
	// Cancelled says it was cancelled (CancelRequested: asked to, not
	// stopped yet); nothing was drafted.
	Cancelled, CancelRequested bool
}

// CheckProgress is the message a long check updates in place in its
// requester's direct messages while it reads the pool.
func CheckProgress(v CheckProgressView) views.Message {
	end := JobEnd{JobID: v.JobID, Finished: v.Finished, Failed: v.Failed, Cancelled: v.Cancelled, CancelRequested: v.CancelRequested}
	state := end.State("checking…", "cancelled; nothing was done", "finished; the answer is where you typed the command")
	line := fmt.Sprintf("*%s* on *%s* (%s) — %s\n%s users read in %s", views.EscTrunc(views.OrDash(v.What), 100),
		views.EscTrunc(views.OrDash(v.Pool), 100), views.EscTrunc(views.OrDash(v.Filter), 300), state, thousands(v.Read), views.RoundDuration(v.Elapsed))
	blocks := append([]slack.Block{views.SectionBlock(line)}, end.CancelBlocks("check_progress", "Cancel check",
		views.DangerConfirm("Cancel the check?", "It stops reading the pool and nothing is drafted.", "Cancel check", "Keep checking"))...)
	return views.Message{Text: views.FallbackText(fmt.Sprintf("%s: %s users read", views.EscTrunc(views.OrDash(v.What), 100), thousands(v.Read))), Blocks: blocks}
}

// thousands writes n with comma separators (4,200).
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
