package views

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"
)

// ExportProgressView is an export in progress or finished.
type ExportProgressView struct {
	Pool, Filter string
	// Users have been written so far, from Pages pages.
	Users, Pages int
	Elapsed      time.Duration
	Finished     bool
	// Failed, when set, is why the export stopped.
	Failed string
}

// ExportProgress is the message an export of more than one page updates in place.
func ExportProgress(v ExportProgressView) Message {
	state := "running"
	switch {
	case v.Failed != "":
		state = "failed: " + EscTrunc(v.Failed, 500)
	case v.Finished:
		state = "finished; the CSV is below"
	}
	line := fmt.Sprintf("*Export* of *%s* (%s) — %s\n%d users from %d pages in %s",
		EscTrunc(OrDash(v.Pool), 100), EscTrunc(OrDash(v.Filter), 300), state, v.Users, v.Pages, roundDuration(v.Elapsed))
	return Message{Text: FallbackText(fmt.Sprintf("Export of %s: %d users", EscTrunc(OrDash(v.Pool), 100), v.Users)),
		Blocks: []slack.Block{SectionBlock(line)}}
}
