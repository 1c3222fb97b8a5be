package views

import (
	"time"

	"github.com/slack-go/slack"
)

// ActionIDScheduleCancel is the Cancel button of a scheduled action; its value
// is the schedule's opaque id.
const ActionIDScheduleCancel = "schedule:cancel"

// maxScheduledShown keeps the list within Block Kit's 50 blocks.
const maxScheduledShown = 40

// ScheduledView is one action waiting to run later.
type ScheduledView struct {
	// ID is the schedule's opaque id, the value of its button.
	ID string
	// Action is what runs; HardDelete marks a deletion ending its undo window.
	Action     string
	HardDelete bool
	Username   string
	Pool       string
	At         time.Time
	By         ActorView
	ApprovedBy ActorView
	// CanCancel shows Cancel (Undo for a hard delete).
	CanCancel bool
}

// ScheduledList lists the actions waiting to run, earliest first.
func ScheduledList(items []ScheduledView, more bool) Message {
	if len(items) == 0 {
		return Notice("Nothing is scheduled.")
	}
	blocks := []slack.Block{HeaderBlock("Scheduled actions")}
	for _, it := range items[:min(len(items), maxScheduledShown)] {
		blocks = append(blocks, ScheduledBlock(it))
	}
	if more || len(items) > maxScheduledShown {
		blocks = append(blocks, ContextBlock("Only the earliest are shown."))
	}
	return Message{Text: FallbackText("Scheduled actions"), Blocks: blocks}
}

// ScheduledBlock is one scheduled action with its Cancel (or Undo) button.
func ScheduledBlock(it ScheduledView) slack.Block {
	what := "*" + EscTrunc(OrDash(it.Action), 40) + "*"
	if it.HardDelete {
		what = "*final deletion* (undo window ends) of"
	}
	line := DateToken(it.At) + " · " + what + " *" + EscTrunc(OrDash(it.Username), 200) + "* in *" + EscTrunc(OrDash(it.Pool), 100) +
		"* · requested by " + it.By.Mention()
	if it.ApprovedBy.UserID != "" {
		line += ", approved by " + it.ApprovedBy.Mention()
	}
	if !it.CanCancel {
		return SectionBlock(line)
	}
	btn := ViewButton(ActionIDScheduleCancel, "Cancel", it.ID)
	if it.HardDelete {
		btn = ViewButton(ActionIDUndo, "Undo", it.ID).WithStyle(slack.StylePrimary)
	}
	return slack.NewSectionBlock(MrkdwnText(line), nil, slack.NewAccessory(btn))
}
