package auditview

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/views"
	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

// The golden fixtures, as package views' tests define them, so the audit
// views render the same people, times and ticket links.
var (
	goldenNow     = time.Date(2026, 11, 14, 22, 13, 0, 0, time.UTC)
	goldenActor   = views.ActorView{UserID: "U0123ABCD", TeamID: "T0001"}
	goldenTickets = views.Tickets{Pattern: regexp.MustCompile(`[A-Z]+-\d+`), URL: func(id string) string { return "https://jira.example.com/browse/" + id }}
)

// goldenCases are the audit views' representative renderings kept under
// testdata/ (go test ./bot/views/... -run Golden -update rewrites them).
func goldenCases() map[string]views.Message {
	return map[string]views.Message{
		"audit": AuditLog("alice", []AuditEntryView{
			{Time: goldenNow.Add(-2 * time.Hour), Actor: goldenActor, Action: "lookup", Target: "alice", Pool: "prod", Decision: "allowed", Outcome: "ok"},
			{Time: goldenNow, Actor: goldenActor, Action: "disable", Target: "alice", Pool: "prod", Decision: "allowed", Outcome: "ok", Reason: "Suspicious logins"},
			{Time: goldenNow.Add(-time.Hour), Actor: views.ActorView{UserID: "U0777INTERN"}, Action: "delete", Target: "alice", Pool: "prod", Decision: "denied", DenyReason: "not in group support-leads"},
		}, true),
		"audit_empty": AuditLog("bob", nil, false),
		"audit_actor": ActorAuditLog(views.ActorView{UserID: "U0777INTERN"}, nil, false),
		// Ticket ids in reasons are links, and a reason's own markup is text.
		"audit_tickets": AuditLog("alice", []AuditEntryView{
			{Time: goldenNow, Actor: goldenActor, Action: "disable", Target: "alice", Pool: "prod", Decision: "allowed", Outcome: "ok",
				Reason: "INC-4211 *urgent* <!channel> see <https://evil.example|the doc> & SUP-7", Tickets: goldenTickets},
		}, false),
		"audit_search_more": AuditSearchResults("ticket INC-4211", []AuditEntryView{
			{Time: goldenNow, Actor: goldenActor, Action: "delete", Target: "bob", Pool: "prod", Decision: "allowed", Outcome: "error",
				Message: "user not found", Reason: "per INC-4211", Tickets: goldenTickets},
		}, "ses_9"),
		"audit_verify_intact": AuditVerifyResult(AuditVerifyView{Since: goldenNow.Add(-24 * time.Hour), Links: 120, Entries: 80, Outcomes: 40,
			Anchors:     []AuditAnchorView{{ID: "anchor#1", Time: goldenNow.Add(-time.Hour), Digest: strings.Repeat("ab", 32), OK: true}},
			BeforeChain: 3, BeforeFirst: goldenNow.Add(-48 * time.Hour), BeforeLast: goldenNow.Add(-30 * time.Hour)}),
		"audit_verify_broken": AuditVerifyResult(AuditVerifyView{Since: goldenNow.Add(-24 * time.Hour), Links: 120, Entries: 80, Outcomes: 40, Breaks0: 17,
			Breaks: []AuditBreakView{
				{ID: "cmd#<!here>", Time: goldenNow, Kind: "changed", Detail: "its content no longer matches the hash its link recorded"},
				{ID: "exec#p1", Time: goldenNow.Add(time.Minute), Kind: "missing predecessor", Detail: `the link before it (position 7 of chain 3, entry "cmd#x") is gone`},
			}}),
		"anchor_posted": AnchorPosted(AnchorView{ID: "anchor#1", Time: goldenNow, Digest: strings.Repeat("cd", 32), Chains: 8}),
	}
}

func TestGoldenViews(t *testing.T) {
	for name, m := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			viewstest.Golden(t, name, viewstest.MessageJSON(t, m.Text, m.Blocks))
		})
	}
}

func TestLimitsGoldenViews(t *testing.T) {
	for name, m := range goldenCases() {
		t.Run(name, func(t *testing.T) { viewstest.CheckMessage(t, m.Text, m.Blocks) })
	}
}

// hostile returns n runes of text built to break escaping and limits.
func hostile(n int) string { return viewstest.Hostile(n) }

// hostileMessages renders the audit views with maximal, hostile input.
func hostileMessages() map[string]views.Message {
	actor := views.ActorView{UserID: "<!channel>", TeamID: hostile(50)}
	reason := hostile(5000)
	var entries []AuditEntryView
	for i := 0; i < 200; i++ {
		entries = append(entries, AuditEntryView{Time: time.Unix(int64(1700000000+i), 0), Actor: actor,
			Action: hostile(300), Target: hostile(300), Pool: hostile(300), Decision: hostile(300), Outcome: hostile(300),
			Message: hostile(5000), Reason: reason, DenyReason: reason})
	}
	return map[string]views.Message{
		"audit":       AuditLog(reason, entries, true),
		"audit_actor": ActorAuditLog(actor, entries, true),
	}
}

func TestLimitsHostileViews(t *testing.T) {
	for name, m := range hostileMessages() {
		t.Run(name, func(t *testing.T) { viewstest.CheckMessage(t, m.Text, m.Blocks) })
	}
}

// mrkdwnOf is every text of m as marshalled, one per line.
func mrkdwnOf(t *testing.T, m views.Message) string {
	t.Helper()
	return viewstest.Strings(t, m.Text, m.Blocks)
}

// audit --actor names the person as Slack shows them, not as an internal id.
func TestActorAuditLogMentionsThePerson(t *testing.T) {
	text := mrkdwnOf(t, ActorAuditLog(views.ActorView{UserID: "U0777INTERN"}, nil, false))
	if !strings.Contains(text, "actions by <@U0777INTERN>") || strings.Contains(text, "Slack user") {
		t.Errorf("title:\n%s", text)
	}
	if text := mrkdwnOf(t, ActorAuditLog(views.ActorView{UserID: "<!channel>"}, nil, false)); strings.Contains(text, "<!channel>") {
		t.Errorf("a forged id became a broadcast:\n%s", text)
	}
}
