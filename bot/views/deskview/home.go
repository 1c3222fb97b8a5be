package deskview

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// Limits of the Home tab, within Block Kit's 100 blocks.
const (
	maxHomeApprovals = 10
	maxHomeLines     = 15
	maxHomeScheduled = 15
)

// HomeView is what the bot's Home tab shows one person.
type HomeView struct {
	// Approvals are the requests they may approve, with Approve and Reject.
	Approvals []views.ApprovalView
	// Requests are their own requests still waiting (confirmation or approval).
	Requests []HomeRequestView
	// Scheduled are their scheduled actions, with Cancel (Undo for deletions).
	Scheduled []views.ScheduledView
	// Recent are their latest audited actions, newest first.
	Recent []HomeEntryView
	// Unavailable, when set, says why the tab could not be filled (the audit
	// log or the state store is down, or they may not use the bot).
	Unavailable string
}

// HomeRequestView is one of the viewer's requests waiting for someone.
type HomeRequestView struct {
	Action, Username, Pool string
	// Approval says it waits for an approver, else for their own Confirm.
	Approval bool
	Expires  time.Time
}

// HomeEntryView is one audit entry of the viewer's.
type HomeEntryView struct {
	At                     time.Time
	Action, Target, Result string
}

// Home renders the Home tab. Every block_id is unique within the view, as
// Slack requires; buttons carry only opaque ids.
func Home(v HomeView) slack.HomeTabViewRequest {
	blocks := []slack.Block{views.HeaderBlock("Cognito desk")}
	if v.Unavailable != "" {
		blocks = append(blocks, views.SectionBlock("⚠️ "+views.EscTrunc(v.Unavailable, 1000)))
		return homeTab(blocks)
	}
	blocks = append(blocks, views.HeaderBlock("Approvals waiting for you"))
	if len(v.Approvals) == 0 {
		blocks = append(blocks, views.ContextBlock("Nothing to approve."))
	}
	for i, a := range v.Approvals[:min(len(v.Approvals), maxHomeApprovals)] {
		line := views.ApprovalSentence(a) + " Expires " + views.DateToken(a.Expires) + "."
		if a.Reason != "" {
			line += "\n*Reason:* " + views.EscTrunc(a.Reason, 500)
		}
		blocks = append(blocks, views.SectionBlock(line), slack.NewActionBlock(fmt.Sprintf("home_approval_%d", i),
			views.ViewButton(views.ActionIDApprovalApprove, "Approve", a.ID).WithStyle(slack.StylePrimary).
				WithConfirm(views.DangerConfirm("Approve?", "The action runs as soon as you approve it.", "Approve", "Cancel")),
			views.ViewButton(views.ActionIDApprovalReject, "Reject", a.ID).WithStyle(slack.StyleDanger)))
	}
	blocks = append(blocks, slack.NewDividerBlock(), views.HeaderBlock("Your requests waiting for someone"))
	var lines []string
	for _, r := range v.Requests[:min(len(v.Requests), maxHomeLines)] {
		who := "your Confirm"
		if r.Approval {
			who = "an approver"
		}
		lines = append(lines, fmt.Sprintf("• *%s* *%s* in *%s* — waiting for %s, expires %s", views.EscTrunc(r.Action, 40),
			views.EscTrunc(views.OrDash(r.Username), 200), views.EscTrunc(views.OrDash(r.Pool), 100), who, views.DateToken(r.Expires)))
	}
	blocks = append(blocks, linesOrNone(lines, "Nothing waiting."))
	blocks = append(blocks, slack.NewDividerBlock(), views.HeaderBlock("Your scheduled actions"))
	if len(v.Scheduled) == 0 {
		blocks = append(blocks, views.ContextBlock("Nothing scheduled."))
	}
	for _, s := range v.Scheduled[:min(len(v.Scheduled), maxHomeScheduled)] {
		blocks = append(blocks, views.ScheduledBlock(s))
	}
	blocks = append(blocks, slack.NewDividerBlock(), views.HeaderBlock("Your recent actions"))
	lines = nil
	for _, e := range v.Recent[:min(len(v.Recent), maxHomeLines)] {
		lines = append(lines, fmt.Sprintf("• %s · *%s* %s — %s", views.DateToken(e.At), views.EscTrunc(e.Action, 40),
			views.EscTrunc(e.Target, 200), views.EscTrunc(e.Result, 200)))
	}
	blocks = append(blocks, linesOrNone(lines, "Nothing yet."))
	return homeTab(blocks)
}

func linesOrNone(lines []string, none string) slack.Block {
	if len(lines) == 0 {
		return views.ContextBlock(none)
	}
	return views.SectionBlock(strings.Join(lines, "\n"))
}

func homeTab(blocks []slack.Block) slack.HomeTabViewRequest {
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}
