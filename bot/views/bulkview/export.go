package bulkview

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// ExportProgressView is an export in progress or finished.
type ExportProgressView struct {
	Pool, Filter string
	// Users have been written so far, from Pages pages.
	Users, Pages int
	Elapsed      time.Duration
	// JobEnd is where the export stands: Cancelled, nothing was sent; while
	// it runs as a job (JobID set) it gets a Cancel button.
	JobEnd
}

// ExportProgress is the message an export of more than one page updates in place.
func ExportProgress(v ExportProgressView) views.Message {
	end := v.JobEnd
	state := end.State("running", "cancelled; nothing was sent", "finished; the CSV is below")
	line := fmt.Sprintf("*Export* of *%s* (%s) — %s\n%d users from %d pages in %s",
		views.EscTrunc(views.OrDash(v.Pool), 100), views.EscTrunc(views.OrDash(v.Filter), 300), state, v.Users, v.Pages, views.RoundDuration(v.Elapsed))
	blocks := append([]slack.Block{views.SectionBlock(line)}, end.CancelBlocks("export_progress", "Cancel export",
		views.DangerConfirm("Cancel the export?", "It stops reading the pool and no file is sent.", "Cancel export", "Keep running"))...)
	return views.Message{Text: views.FallbackText(fmt.Sprintf("Export of %s: %d users", views.EscTrunc(views.OrDash(v.Pool), 100), v.Users)), Blocks: blocks}
}
