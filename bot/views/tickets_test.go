package views

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var goldenTickets = Tickets{Pattern: regexp.MustCompile(`[A-Z]+-\d+`), URL: func(id string) string { return "https://jira.example.com/browse/" + id }}

// ticketGoldenCases show ticket ids in reasons as links, and a reason's own
// markup as text, on an approval card and a confirmation (the audit views'
// are package auditview's).
func ticketGoldenCases() map[string]any {
	hostile := "INC-4211 *urgent* <!channel> see <https://evil.example|the doc> & SUP-7"
	return map[string]any{
		"approval_tickets": ApprovalCard(ApprovalView{ID: "apr_8", Action: "delete", Words: tableWords("delete"), Requester: goldenActor,
			Target: goldenUser, Pool: goldenPool, Reason: hostile, Tickets: goldenTickets, Created: goldenNow, Expires: goldenNow.Add(time.Hour)}),
		"confirm_tickets": ConfirmPrompt(ConfirmView{ID: "cnf_9", Action: "disable", Words: tableWords("disable"), Username: "alice", Pool: "prod",
			Requester: goldenActor, Expires: goldenNow.Add(5 * time.Minute), Reason: "_for_ INC-1", Tickets: goldenTickets}),
	}
}

// A reason is user text: mentions, links and formatting in it never become
// markup; only the configured ticket ids become links.
func TestReasonIsNeverMarkup(t *testing.T) {
	got := goldenTickets.Reason("INC-4211 *urgent* <!channel> <https://evil.example|x> `code` ~x~ _y_", 500)
	for _, bad := range []string{"<!channel>", "<https://evil", " *urgent*", " `code`", " ~x~", " _y_"} {
		if strings.Contains(got, bad) {
			t.Errorf("reason rendered %q as markup in %q", bad, got)
		}
	}
	if !strings.HasPrefix(got, "<https://jira.example.com/browse/INC-4211|INC-4211> ") {
		t.Errorf("ticket not linked: %q", got)
	}
	if got := (Tickets{}).Reason("INC-1 <!here>", 100); got != "INC-1 &lt;!here&gt;" {
		t.Errorf("without tickets: %q", got)
	}
	noLink := Tickets{Pattern: goldenTickets.Pattern, URL: func(string) string { return "https://x/a|b" }}
	if got := noLink.Reason("INC-1", 100); got != "INC-1" {
		t.Errorf("an unsafe URL was linked: %q", got)
	}
	long := strings.Repeat("INC-1 &", 1000)
	if got := goldenTickets.Reason(long, 300); len([]rune(got)) > 300+linkBudget {
		t.Errorf("a long reason rendered %d runes", len([]rune(got)))
	}
}
