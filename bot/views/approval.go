package views

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// Action IDs of the approval card's buttons; both carry ApprovalView.ID.
// Exported because package bot routes clicks by them.
const (
	ActionIDApprovalApprove = "approval:approve"
	ActionIDApprovalReject  = "approval:reject"

	// blockIDApprovalActions is the block_id of the Approve/Reject row.
	blockIDApprovalActions = "approval_actions"
)

// ApprovalView is a dangerous action waiting in the approvals channel.
type ApprovalView struct {
	// ID identifies the approval request; it is the buttons' value.
	ID, Action string
	// Words phrase the action, from the action table.
	Words     Words
	Requester ActorView
	Target    UserView
	Pool      PoolView
	Reason    string
	// Tickets links the ticket ids in Reason.
	Tickets Tickets
	Created time.Time
	Expires time.Time
	// Changes, for an edit, are exactly what the approver lets change, old → new.
	Changes []ChangeView
	// Args are the action's other arguments (the group, the device), so the
	// approver sees everything the action will do.
	Args map[string]string
	// Job, when set, makes this the approval of a bulk job: Action and Words
	// are the job's action, Target is unused.
	Job *JobApprovalView
	// Subject, when set, is what a request about no one user acts on (an
	// export: "the users of prod"); Target is unused.
	Subject string
}

// JobApprovalView is what an approver sees of a bulk job: how many users and
// the first of them.
type JobApprovalView struct {
	// Count is how many users the job acts on; First are the first of them.
	Count int
	First []string
	JobID string
}

// Who names what the request acts on: the user, or "250 users".
func (a ApprovalView) Who() string {
	if a.Job != nil {
		return fmt.Sprintf("%d users", a.Job.Count)
	}
	if a.Subject != "" {
		return a.Subject
	}
	return OrDash(a.Target.Username)
}

// DecisionView is how an approval request ended.
type DecisionView struct {
	// State is "approved", "rejected", "expired", "failed" or "cancelled".
	State string
	By    ActorView
	At    time.Time
	// Result describes what happened after approval, e.g. "deleted" or the
	// error text when the action failed.
	Result string
	// OK reports whether the approved action succeeded.
	OK bool
}

// ApprovalCard asks approvers to approve or reject a request.
func ApprovalCard(a ApprovalView) Message {
	blocks := approvalSummary(a, "Approval needed")
	w := WordsFor(a.Words, a.Action)
	who := Truncate(a.Who(), 60)
	blocks = append(blocks, slack.NewActionBlock(blockIDApprovalActions,
		ViewButton(ActionIDApprovalApprove, "Approve", a.ID).WithStyle(slack.StylePrimary).
			WithConfirm(DangerConfirm(
				fmt.Sprintf("Approve: %s %s?", w.Verb, who),
				"The action runs as soon as you approve it.", "Approve", "Cancel")),
		ViewButton(ActionIDApprovalReject, "Reject", a.ID).WithStyle(slack.StyleDanger),
	))
	text := fmt.Sprintf("Approval needed: %s asks to %s %s in %s", a.Requester.Mention(),
		Escape(w.Verb), EscTrunc(a.Who(), 300), a.Pool.PlainName())
	return Message{Text: FallbackText(text), Blocks: blocks}
}

// ApprovalDecided replaces an approval card once it is decided: the same
// summary, no buttons, and a line saying how it ended.
func ApprovalDecided(a ApprovalView, d DecisionView) Message {
	blocks := approvalSummary(a, "Approval request")
	line := decisionLine(a, d)
	blocks = append(blocks, SectionBlock(line))
	return Message{Text: FallbackText(line), Blocks: blocks}
}

// ApprovalSentence is "<@U1> asks to *delete* *alice* in *prod*."
func ApprovalSentence(a ApprovalView) string {
	return fmt.Sprintf("%s asks to *%s* *%s* in %s.", a.Requester.Mention(),
		Escape(WordsFor(a.Words, a.Action).Verb), EscTrunc(a.Who(), 300), a.Pool.Label())
}

// maskOldContacts masks the current email and phone in an edit's changes: the
// approvals channel is seen by more people than the requester, and the card
// masks the user's email already. The new values stay whole, because they are
// what the approver is asked to judge. Attributes named like secrets (a token,
// a recovery code) are hidden both ways: the approver sees that they change.
func maskOldContacts(changes []ChangeView) []ChangeView {
	out := slices.Clone(changes)
	for i, c := range out {
		switch {
		case c.Name == "email":
			out[i].Old = maskEmail(c.Old)
		case c.Name == "phone_number":
			out[i].Old = maskPhone(c.Old)
		case c.Secret:
			out[i].Old, out[i].New = hideValue(c.Old), hideValue(c.New)
		}
	}
	return out
}

// hideValue shows that a value exists without showing it.
func hideValue(v string) string {
	if v == "" {
		return ""
	}
	return "(hidden)"
}

// approvalSummary is the part shared by the open and the decided card; title
// starts the header.
func approvalSummary(a ApprovalView, title string) []slack.Block {
	u := a.Target
	text := ApprovalSentence(a)
	if a.Reason != "" {
		text += "\n*Reason:* " + a.Tickets.Reason(a.Reason, 2500)
	}
	ctx := []string{"Requested " + DateToken(a.Created)}
	if !a.Expires.IsZero() {
		ctx = append(ctx, "Expires "+DateToken(a.Expires))
	}
	if a.ID != "" {
		ctx = append(ctx, "Request "+CodeSpan(EscTrunc(a.ID, 100)))
	}
	head := HeaderBlock(title + ": " + WordsFor(a.Words, a.Action).Verb + " " + a.Who())
	details := DetailBlocks(a.Args, maskOldContacts(a.Changes))
	if a.Job != nil {
		blocks := append([]slack.Block{head, SectionBlock(text)}, details...)
		return append(blocks, jobFields(*a.Job), ContextBlock(append(ctx, "Job "+CodeSpan(EscTrunc(a.Job.JobID, 100)))...))
	}
	blocks := append([]slack.Block{head, SectionBlock(text)}, details...)
	if a.Subject != "" {
		return append(blocks, ContextBlock(ctx...))
	}
	return append(blocks,
		fieldsBlock(
			"*User*\n"+EscTrunc(OrDash(u.Username), 300),
			"*Email*\n"+EscTrunc(OrDash(maskEmail(u.Email)), maxFieldLen-10),
			"*Status*\n"+statusText(u.Status),
			"*Enabled*\n"+enabledText(u.Enabled),
			"*Groups*\n"+groupsText(u.Groups, 1000),
		),
		ContextBlock(ctx...),
	)
}

// decisionLine is the outcome line, e.g. "Approved by <@U1> at … — ✅ deleted".
func decisionLine(a ApprovalView, d DecisionView) string {
	at := DateToken(d.At)
	by := d.By.Mention()
	switch d.State {
	case "approved", "failed":
		ok := d.OK && d.State == "approved"
		res := d.Result
		if res == "" {
			res = WordsFor(a.Words, a.Action).Done
			if !ok {
				res = "failed"
			}
		}
		mark := "✅"
		if !ok {
			mark = "❌"
		}
		return fmt.Sprintf("Approved by %s at %s — %s %s", by, at, mark, EscTrunc(res, 1500))
	case "rejected":
		line := fmt.Sprintf("🚫 Rejected by %s at %s", by, at)
		if d.Result != "" {
			line += " — " + EscTrunc(d.Result, 1500)
		}
		return line
	case "expired":
		return fmt.Sprintf("⌛ Expired at %s without a decision", at)
	case "cancelled":
		return fmt.Sprintf("↩️ Cancelled by %s at %s", by, at)
	default:
		return fmt.Sprintf("%s by %s at %s", EscTrunc(Capitalize(OrDash(d.State)), 40), by, at)
	}
}

// jobFields lists a bulk job's size and first users for its approver.
func jobFields(j JobApprovalView) slack.Block {
	shown := j.First[:min(10, len(j.First))]
	names := make([]string, len(shown))
	for i, n := range shown {
		// The approvals channel is shared: usernames that are emails are masked
		// as the single-user card masks emails.
		if strings.Contains(n, "@") {
			n = maskEmail(n)
		}
		names[i] = "• " + EscTrunc(n, 700)
	}
	if j.Count > len(shown) {
		names = append(names, fmt.Sprintf("…and %d more", j.Count-len(shown)))
	}
	return fieldsBlock(
		fmt.Sprintf("*Users*\n%d", j.Count),
		"*First users*\n"+OrDash(strings.Join(names, "\n")),
	)
}
