package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/flows"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// An approved export runs as an export job, as the requester's own export
// would: the approver's click closes the card while the export is still
// reading the pool (it holds no worker), the requester gets the progress
// message with its Cancel button, updated in place to finished, and exactly
// one file in their direct messages.
func TestExportApprovedRunsAsAJobAndTheApproversClickReturnsAtOnce(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{
		Configure: func(c *config.Config) {
			c.Approvals = append(c.Approvals, config.ApprovalRule{Action: "export", Approvers: []string{bottest.Approver},
				Channel: bottest.Approvals, Expiry: config.DefaultApprovalExpiry})
		},
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	makeUsers(h, "apx", 2)
	if answer := h.Reply(h.Command(bottest.Admin, `export --prefix email=apx --reason "ticket 9"`), 1); !bottest.Contains(answer, "Sent for approval") {
		t.Fatalf("the export should go for approval:\n%s", bottest.Text(answer))
	}
	card := h.WaitMessage("export approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	h.Click(card, "approval:approve", bottest.Approver)
	waitHeld(t, entered)
	// The export is still reading the pool: the approval is already decided.
	decided := waitCardDecided(t, h, card, "Approved")
	if !bottest.Contains(decided, "export started") {
		t.Errorf("the decided card should say the export started:\n%s", bottest.Text(decided))
	}
	running, id := exportMessage(h, bottest.Admin)
	if j := h.Job(id); j.State != audit.JobRunning || j.Requester.UserID != bottest.Admin || j.StartedBy.UserID != bottest.Approver {
		t.Errorf("the export job: %s, requester %s, started by %s; want running, the requester's, started by the approver",
			j.State, j.Requester.UserID, j.StartedBy.UserID)
	}
	close(release)
	h.WaitMessage("the progress message updated to finished", func(m slackemu.Message) bool {
		return m.Channel == running.Channel && m.TS == running.TS && bottest.Contains(m, "finished") && bottest.Contains(m, "2 users")
	})
	f, rows := resultsCSV(t, h)
	if f.Channel != h.Slack.DMChannel(bottest.Admin) || len(rows) != 3 {
		t.Errorf("the export went to %s with %d rows; want the requester's DM with 2 users", f.Channel, len(rows)-1)
	}
	h.Eventually("the job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	h.Stop()
	if n := len(h.Slack.Files()); n != 1 {
		t.Errorf("%d files sent; want exactly one", n)
	}
}

// One export per person across the deployment: while the first runs on one
// replica, the same person's second export, taken by the other replica, is
// turned away with a sentence; once the first has ended a new one starts.
func TestExportOnePerPersonAcrossReplicas(t *testing.T) {
	t.Parallel()
	exportOnePerPersonAcrossReplicas(t, false)
}

// The same on moto and DynamoDB Local, two replicas on the wire.
func TestExportOnePerPersonAcrossReplicasWire(t *testing.T) {
	t.Parallel()
	exportOnePerPersonAcrossReplicas(t, true)
}

func exportOnePerPersonAcrossReplicas(t *testing.T, wire bool) {
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{Replicas: 2, Wire: wire,
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	h.CreateUser("opx", "opx@example.com")
	first := h.Command(bottest.Admin, "export --attributes email")
	waitHeld(t, entered)
	_, id := exportMessage(h, bottest.Admin)
	second := h.Command(bottest.Admin, "export")
	if second.Connection == first.Connection {
		t.Fatalf("both commands went to replica connection %d; the test needs the other replica", first.Connection)
	}
	if answer := h.Reply(second, 1); !bottest.Contains(answer, "already have an export running") {
		t.Errorf("a second export of the same person on another replica should be turned away:\n%s", bottest.Text(answer))
	}
	close(release)
	if done := h.Reply(first, 1); !bottest.Contains(done, "Exported 1 users") {
		t.Errorf("the first export's answer:\n%s", bottest.Text(done))
	}
	if j := h.Job(id); j.State != audit.JobFinished {
		t.Errorf("the first job is %s; want FINISHED", j.State)
	}
	third := h.Command(bottest.Admin, "export")
	if done := h.Reply(third, 1); !bottest.Contains(done, "Exported 1 users") {
		t.Errorf("an export after the first ended should run:\n%s", bottest.Text(done))
	}
	h.Stop()
	files := h.Slack.Files()
	if len(files) != 2 {
		t.Fatalf("%d files sent; want the first and the third export's", len(files))
	}
	for _, f := range files {
		if !strings.Contains(string(f.Content), "opx") {
			t.Errorf("an export file without the user:\n%s", f.Content)
		}
	}
}

// Only the requester may cancel their export, as with a bulk job (the
// pipeline's ByRequester rule): anyone else is told so in a sentence, the
// refusal is audited as theirs, and the export runs on.
func TestExportCancelByAnotherIsRefusedWithASentenceAndAudited(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	h.CreateUser("cnx", "cnx@example.com")
	first := h.Command(bottest.Admin, "export")
	waitHeld(t, entered)
	running, id := exportMessage(h, bottest.Admin)
	other := h.Reply(h.ClickAsShown(running, bulkview.ActionIDBulkCancel, bottest.Admin2), 1)
	if !bottest.Contains(other, "Not allowed: only the requester can cancel this job") {
		t.Errorf("the other admin's answer:\n%s", bottest.Text(other))
	}
	ctx, cancel := h.Timeout()
	defer cancel()
	entries, _, err := h.Audit.ByActor(ctx, bottest.Team, bottest.Admin2, 50, "")
	if err != nil {
		t.Fatal(err)
	}
	refused := false
	for _, e := range entries {
		if e.Decision == audit.Denied && e.Params["job"] == id && strings.Contains(e.DenyReason, "only the requester") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("the refused cancel is not audited as the other admin's: %+v", entries)
	}
	close(release)
	if done := h.Reply(first, 1); !bottest.Contains(done, "Exported 1 users") {
		t.Errorf("the export should run on after a refused cancel:\n%s", bottest.Text(done))
	}
}

// A replica that started an approved export's job and stopped before
// recording the approval leaves it executing. The sweeper finds the job
// started: the card says approved and the export started (not "outcome
// unknown"), the requester gets the progress message the stopped replica
// did not post, and the export runs to its end and sends its one file.
func TestApprovedExportWhoseBotStoppedAfterStartingItReadsStarted(t *testing.T) {
	t.Parallel()
	// The export's listing waits until the test has seen its progress
	// message with Cancel: a two-user export would otherwise finish, and
	// its message lose the button, before a busy test looked.
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{ExecutingTimeout: time.Second, Now: clock.Now, SweepEvery: quickSweeps, Configure: func(c *config.Config) {
		c.Approvals = append(c.Approvals, config.ApprovalRule{Action: "export", Approvers: []string{bottest.Approver},
			Channel: bottest.Approvals, Expiry: config.DefaultApprovalExpiry})
	}, WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	makeUsers(h, "sxp", 2)
	h.Reply(h.Command(bottest.Admin, `export --prefix email=sxp --reason "ticket 11"`), 1)
	card := h.WaitMessage("export approval card", func(m slackemu.Message) bool {
		return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve")
	})
	id := buttonValue(t, card, "approval:approve")
	ctx, cancel := h.Timeout()
	defer cancel()
	p := waitCardRecorded(t, h, card)
	// Another replica took the approval and started the export job, then died.
	approver := audit.Actor{UserID: bottest.Approver, TeamID: bottest.Team}
	if _, err := h.State.Transition(ctx, id, audit.StatePending, audit.StateExecuting, audit.Update{DecidedBy: &approver}); err != nil {
		t.Fatal(err)
	}
	jobs := h.State.(bulk.Store)
	now := time.Now()
	j, err := jobs.CreateJob(ctx, audit.Job{ID: flows.ExportJobOf(id), Action: actions.Export, Pool: p.Pool, PoolID: p.Target.Pool,
		Args: map[string]string{"export": p.Params["export"], "approval": id}, Reason: p.Reason, Requester: p.Requester, Channel: p.Channel,
		CreatedAt: now, ExpiresAt: now.Add(time.Minute)}, []audit.JobTarget{{Index: 0, Input: p.Pool}})
	if err == nil {
		_, err = jobs.StartJob(ctx, j.ID, approver)
	}
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second) // past the executing timeout, without waiting it out
	decided := waitCardDecided(t, h, card, "Approved")
	if bottest.Contains(decided, "outcome was known") || !bottest.Contains(decided, "export started") {
		t.Errorf("the card should say the export started:\n%s", bottest.Text(decided))
	}
	exportMessage(h, bottest.Admin)
	close(release)
	if _, rows := resultsCSV(t, h); len(rows) != 3 {
		t.Errorf("%d rows; want the 2 users", len(rows)-1)
	}
	h.Eventually("the job finished", func() bool { return h.Job(j.ID).State == audit.JobFinished })
	if got, _ := h.State.Get(ctx, id); got.State != audit.StateDone {
		t.Errorf("the approval is %s; want DONE", got.State)
	}
	h.Stop()
	if n := len(h.Slack.Files()); n != 1 {
		t.Errorf("%d files sent; want exactly one", n)
	}
}

// An approved export of a person who already has one running starts nothing:
// the approval ends failed with a sentence saying why, on the card and to the
// requester, and the running export is unaffected.
func TestExportApprovedWhileTheRequesterHasOneRunningStartsNothing(t *testing.T) {
	t.Parallel()
	release, entered := make(chan struct{}), make(chan struct{}, 1)
	h := bottest.New(t, &bottest.Options{
		Configure: func(c *config.Config) {
			c.Approvals = append(c.Approvals, config.ApprovalRule{Action: "export", Approvers: []string{bottest.Approver},
				Channel: bottest.Approvals, Expiry: config.DefaultApprovalExpiry})
		},
		WrapUsers: func(d pipeline.Directory) pipeline.Directory { return newHeldList(d, release, entered) }})
	makeUsers(h, "dup", 1)
	approve := func(filter string) slackemu.Message {
		t.Helper()
		h.Reply(h.Command(bottest.Admin, "export --prefix email="+filter), 1)
		card := h.WaitMessage("the approval card of "+filter, func(m slackemu.Message) bool {
			return m.Channel == bottest.Approvals && bottest.Contains(m, "approval:approve") && bottest.Contains(m, filter)
		})
		h.Click(card, "approval:approve", bottest.Approver)
		return card
	}
	first := approve("dup")
	waitHeld(t, entered)
	waitCardDecided(t, h, first, "Approved")
	_, id := exportMessage(h, bottest.Admin)
	second := approve("du")
	failed := waitCardDecided(t, h, second, "already has an export running")
	if bottest.Contains(failed, "export started") {
		t.Errorf("the second approval should not say it started:\n%s", bottest.Text(failed))
	}
	close(release)
	h.Eventually("the first job finished", func() bool { return h.Job(id).State == audit.JobFinished })
	h.Stop()
	if n := len(h.Slack.Files()); n != 1 {
		t.Errorf("%d files sent; want the first export's only", n)
	}
}
