package views

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"
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
	Approvals []ApprovalView
	// Requests are their own requests still waiting (confirmation or approval).
	Requests []HomeRequestView
	// Scheduled are their scheduled actions, with Cancel (Undo for deletions).
	Scheduled []ScheduledView
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
	blocks := []slack.Block{headerBlock("Cognito desk")}
	if v.Unavailable != "" {
		blocks = append(blocks, sectionBlock("⚠️ "+escTrunc(v.Unavailable, 1000)))
		return homeTab(blocks)
	}
	blocks = append(blocks, headerBlock("Approvals waiting for you"))
	if len(v.Approvals) == 0 {
		blocks = append(blocks, contextBlock("Nothing to approve."))
	}
	for i, a := range v.Approvals[:min(len(v.Approvals), maxHomeApprovals)] {
		line := approvalSentence(a) + " Expires " + dateToken(a.Expires) + "."
		if a.Reason != "" {
			line += "\n*Reason:* " + escTrunc(a.Reason, 500)
		}
		blocks = append(blocks, sectionBlock(line), slack.NewActionBlock(fmt.Sprintf("home_approval_%d", i),
			viewButton(ActionIDApprovalApprove, "Approve", a.ID).WithStyle(slack.StylePrimary).
				WithConfirm(dangerConfirm("Approve?", "The action runs as soon as you approve it.", "Approve", "Cancel")),
			viewButton(ActionIDApprovalReject, "Reject", a.ID).WithStyle(slack.StyleDanger)))
	}
	blocks = append(blocks, slack.NewDividerBlock(), headerBlock("Your requests waiting for someone"))
	var lines []string
	for _, r := range v.Requests[:min(len(v.Requests), maxHomeLines)] {
		who := "your Confirm"
		if r.Approval {
			who = "an approver"
		}
		lines = append(lines, fmt.Sprintf("• *%s* *%s* in *%s* — waiting for %s, expires %s", escTrunc(r.Action, 40),
			escTrunc(orDash(r.Username), 200), escTrunc(orDash(r.Pool), 100), who, dateToken(r.Expires)))
	}
	blocks = append(blocks, linesOrNone(lines, "Nothing waiting."))
	blocks = append(blocks, slack.NewDividerBlock(), headerBlock("Your scheduled actions"))
	if len(v.Scheduled) == 0 {
		blocks = append(blocks, contextBlock("Nothing scheduled."))
	}
	for _, s := range v.Scheduled[:min(len(v.Scheduled), maxHomeScheduled)] {
		blocks = append(blocks, ScheduledBlock(s))
	}
	blocks = append(blocks, slack.NewDividerBlock(), headerBlock("Your recent actions"))
	lines = nil
	for _, e := range v.Recent[:min(len(v.Recent), maxHomeLines)] {
		lines = append(lines, fmt.Sprintf("• %s · *%s* %s — %s", dateToken(e.At), escTrunc(e.Action, 40),
			escTrunc(e.Target, 200), escTrunc(e.Result, 200)))
	}
	blocks = append(blocks, linesOrNone(lines, "Nothing yet."))
	return homeTab(blocks)
}

func linesOrNone(lines []string, none string) slack.Block {
	if len(lines) == 0 {
		return contextBlock(none)
	}
	return sectionBlock(strings.Join(lines, "\n"))
}

func homeTab(blocks []slack.Block) slack.HomeTabViewRequest {
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}
