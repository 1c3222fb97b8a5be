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
	// JobEnd is where the check's job stands: Finished, its answer (the
	// draft) was sent where the command was typed; Cancelled, nothing was
	// drafted; while it runs its JobID gets a Cancel button.
	JobEnd
}

// CheckProgress is the message a long check updates in place in its
// requester's direct messages while it reads the pool.
func CheckProgress(v CheckProgressView) views.Message {
	end := v.JobEnd
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
