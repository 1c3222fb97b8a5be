package bulkview

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// Action IDs of the bulk job buttons; each carries the job id.
const (
	ActionIDBulkConfirm = "bulk:confirm"
	ActionIDBulkDiscard = "bulk:discard"
	ActionIDBulkCancel  = "bulk:cancel"
)

// BulkSkip is a target the dry run will not act on, and why.
type BulkSkip struct{ Who, Why string }

// BulkDryRunView is what a bulk job would do, for its requester to confirm.
type BulkDryRunView struct {
	JobID  string
	Action string
	Words  views.Words
	Pool   string
	// Matched is every target found; Run of them will be acted on.
	Matched, Run int
	// First are the first targets that will be acted on (at most ten shown).
	First []string
	// Skipped are the targets left alone, with the reason.
	Skipped []BulkSkip
	// Args are the job's action arguments (the group of a group job), shown
	// whole like a confirmation's, so the requester confirms what will happen.
	Args map[string]string
	// Estimate is how long the job should take at the job's rate.
	Estimate time.Duration
	Rate     float64
	Expires  time.Time
	Reason   string
	// ApprovalChannel, when set, is where the job goes for approval once its
	// requester confirms (channel id from the configuration).
	ApprovalChannel string
	// Note is a line on what the job does beyond the verb (invitations).
	Note string
	// ApprovalWhy says why it needs approval ("it acts on more than 500 users").
	ApprovalWhy string
}

// BulkDryRun shows a bulk job's dry run with Confirm and Cancel; Confirm is absent
// when nothing would run.
func BulkDryRun(v BulkDryRunView) views.Message {
	w := views.WordsFor(v.Words, v.Action)
	head := fmt.Sprintf("*Dry run:* %s in *%s* — %d matched, *%d to %s*, %d skipped.",
		views.Escape(v.Action), views.EscTrunc(v.Pool, 100), v.Matched, v.Run, views.Escape(w.Verb), len(v.Skipped))
	blocks := append([]slack.Block{views.SectionBlock(head)}, views.DetailBlocks(v.Args, nil)...)
	if len(v.First) > 0 {
		shown := v.First[:min(10, len(v.First))]
		names := make([]string, len(shown))
		for i, n := range shown {
			names[i] = "• " + views.EscTrunc(n, 200)
		}
		more := ""
		if v.Run > len(shown) {
			more = fmt.Sprintf("\n…and %d more", v.Run-len(shown))
		}
		blocks = append(blocks, views.SectionBlock("*First "+fmt.Sprint(len(shown))+":*\n"+strings.Join(names, "\n")+more))
	}
	if len(v.Skipped) > 0 {
		shown := v.Skipped[:min(10, len(v.Skipped))]
		lines := make([]string, len(shown))
		for i, s := range shown {
			lines[i] = "• " + views.EscTrunc(s.Who, 200) + " — " + views.EscTrunc(s.Why, 200)
		}
		more := ""
		if len(v.Skipped) > len(shown) {
			more = fmt.Sprintf("\n…and %d more (all listed in the results CSV)", len(v.Skipped)-len(shown))
		}
		blocks = append(blocks, views.SectionBlock("*Skipped:*\n"+strings.Join(lines, "\n")+more))
	}
	if v.Note != "" {
		blocks = append(blocks, views.SectionBlock(views.EscTrunc(v.Note, 1000)))
	}
	ctx := []string{fmt.Sprintf("Estimated %s at %.1f/s (the job's share of the Cognito quota)", views.RoundDuration(v.Estimate), v.Rate)}
	if v.Reason != "" {
		ctx = append(ctx, "Reason: "+views.UserText(v.Reason, 2500)) // a reason of 500 characters, escaped
	}
	if !v.Expires.IsZero() {
		ctx = append(ctx, "Expires "+views.DateToken(v.Expires))
	}
	blocks = append(blocks, views.ContextBlock(ctx...))
	label := fmt.Sprintf("%s %d users", views.Capitalize(w.Verb), v.Run)
	if v.ApprovalChannel != "" {
		blocks = append(blocks, views.SectionBlock(fmt.Sprintf("🔐 This job needs approval (%s): "+
			"confirming sends it to %s, and it starts once an approver approves it.", views.EscTrunc(v.ApprovalWhy, 300), views.ChannelMention(v.ApprovalChannel))))
		label = fmt.Sprintf("Ask approval for %d users", v.Run)
	}
	buttons := []slack.BlockElement{views.ViewButton(ActionIDBulkDiscard, "Cancel", v.JobID)}
	if v.Run > 0 {
		confirm := views.ViewButton(ActionIDBulkConfirm, views.Truncate(label, 75), v.JobID).WithStyle(slack.StyleDanger)
		buttons = append([]slack.BlockElement{confirm}, buttons...)
	}
	blocks = append(blocks, slack.NewActionBlock("bulk_actions", buttons...))
	return views.Message{Text: views.FallbackText(fmt.Sprintf("Dry run: %s %d users in %s", views.Escape(v.Action), v.Run, views.EscTrunc(v.Pool, 100))), Blocks: blocks}
}

// BulkProgressView is a running or finished job's counts.
type BulkProgressView struct {
	JobID, Action, Pool                  string
	Total, Done, Failed, Skipped, Left   int
	Rate                                 float64
	ETA                                  time.Duration
	Finished, Cancelled, CancelRequested bool
	By                                   views.ActorView
}

// BulkProgress is the one message a job updates in place; it has a Cancel button
// while the job runs.
func BulkProgress(v BulkProgressView) views.Message {
	state := "running"
	switch {
	case v.Finished && v.Cancelled:
		state = "cancelled"
	case v.Finished:
		state = "finished"
	case v.CancelRequested:
		state = "cancelling"
	}
	line := fmt.Sprintf("*Bulk %s* in *%s* — %s\n✅ %d done · ❌ %d failed · ⏭️ %d skipped · ⏳ %d left of %d",
		views.Escape(v.Action), views.EscTrunc(v.Pool, 100), state, v.Done, v.Failed, v.Skipped, v.Left, v.Total)
	blocks := []slack.Block{views.SectionBlock(line)}
	ctx := []string{"Job " + views.CodeSpan(views.Escape(v.JobID))}
	if v.Rate > 0 && !v.Finished {
		ctx = append(ctx, fmt.Sprintf("%.1f/s, about %s left", v.Rate, views.RoundDuration(v.ETA)))
	}
	if v.Finished {
		ctx = append(ctx, "Results CSV sent to "+v.By.Mention())
	}
	blocks = append(blocks, views.ContextBlock(ctx...))
	if !v.Finished && !v.CancelRequested {
		blocks = append(blocks, slack.NewActionBlock("bulk_progress",
			views.ViewButton(ActionIDBulkCancel, "Cancel job", v.JobID).WithConfirm(
				views.DangerConfirm("Cancel the job?", "No more users are started; those already in progress finish, and users already done stay done.", "Cancel job", "Keep running"))))
	}
	return views.Message{Text: views.FallbackText(fmt.Sprintf("Bulk %s: %d done, %d failed, %d skipped, %d left", views.Escape(v.Action), v.Done, v.Failed, v.Skipped, v.Left)), Blocks: blocks}
}

// DryRunUnderWay says a long dry run has started and about when it will
// answer, so a requester of thousands of users does not think the bot dead.
func DryRunUnderWay(users int, about time.Duration) views.Message {
	return views.Notice(fmt.Sprintf("Checking %d users against the pool; the dry run follows in about %s.", users, views.RoundDuration(about)))
}
