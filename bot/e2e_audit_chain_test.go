package bot_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/chain"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// assertAuditChainIntact verifies the harness's whole audit log (up to a minute
// ahead, so nothing just written is left out) and fails on any break.
func assertAuditChainIntact(t *testing.T, h *bottest.Harness) chain.VerifyReport {
	t.Helper()
	ctx, cancel := h.Timeout()
	defer cancel()
	var breaks []string
	rep, err := h.Audit.Verify(ctx, chain.VerifyOptions{Until: time.Now().Add(time.Minute),
		OnBreak: func(b chain.Break) { breaks = append(breaks, b.String()) }})
	if err != nil {
		t.Fatalf("verifying the audit chain: %v", err)
	}
	if !rep.Intact() || rep.Entries == 0 {
		t.Fatalf("the audit chain of an honest run: %d entries checked, breaks:\n%s", rep.Entries, strings.Join(breaks, "\n"))
	}
	return rep
}

func ticketConfig(c *config.Config) {
	c.Tickets = config.Tickets{Pattern: `[A-Z]+-\d+`, URL: "https://jira.example.com/browse/{id}"}
}

// A ticket id in a reason is a link on the confirmation, and audit --ticket and
// --reason find what was done under it, newest first.
func TestAuditSearchByTicketAndReason(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: ticketConfig})
	h.CreateUser("tina", "tina@example.com")
	h.CreateUser("tom", "tom@example.com")
	prompt := h.Reply(h.Command(bottest.Admin, "disable tina --reason \"INC-4211 *offboarding* <!channel>\""), 1)
	if !bottest.Contains(prompt, "<https://jira.example.com/browse/INC-4211|INC-4211>") || bottest.Contains(prompt, "<!channel>") {
		t.Fatalf("the confirmation should link the ticket and show the rest as text:\n%s", bottest.Text(prompt))
	}
	h.Reply(h.Click(prompt, "confirm:yes", bottest.Admin), 1)
	h.Reply(h.Command(bottest.Admin, "enable tom --reason \"routine check, INC-9\""), 1)
	h.AuditFor("tom", 1)

	byTicket := h.Reply(h.Command(bottest.Support, "audit --ticket INC-4211"), 1)
	if !bottest.Contains(byTicket, "tina") || bottest.Contains(byTicket, "`tom`") ||
		!bottest.Contains(byTicket, "<https://jira.example.com/browse/INC-4211|INC-4211>") {
		t.Fatalf("audit --ticket INC-4211 should list what was done to tina only, with the ticket linked:\n%s", bottest.Text(byTicket))
	}
	byReason := h.Reply(h.Command(bottest.Support, "audit --reason ROUTINE"), 1)
	if !bottest.Contains(byReason, "`tom`") || bottest.Contains(byReason, "`tina`") {
		t.Fatalf("audit --reason ROUTINE should find tom's entry, case-insensitively:\n%s", bottest.Text(byReason))
	}
	bad := h.Reply(h.Command(bottest.Support, "audit --ticket hello"), 1)
	if !bottest.Contains(bad, "does not look like a ticket id") {
		t.Errorf("a malformed ticket id should be answered in words:\n%s", bottest.Text(bad))
	}
}

// Search pages on with a More button until the log is exhausted.
func TestAuditSearchPagesWithMore(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Configure: ticketConfig})
	for _, name := range []string{"pa", "pb", "pc"} {
		h.CreateUser(name, name+"@example.com")
		h.Reply(h.Command(bottest.Admin, "enable "+name+" --reason \"INC-77 tidy\""), 1)
	}
	first := h.Reply(h.Command(bottest.Admin, "audit --ticket INC-77 --limit 2"), 1)
	if !bottest.Contains(first, "audit:more") || !bottest.Contains(first, "`pc`") || !bottest.Contains(first, "`pb`") {
		t.Fatalf("the first page should hold the two newest and a More button:\n%s", bottest.Text(first))
	}
	second := h.Reply(h.Click(first, "audit:more", bottest.Admin), 1)
	if !bottest.Contains(second, "`pa`") || bottest.Contains(second, "`pc`") {
		t.Fatalf("More should show the older entry:\n%s", bottest.Text(second))
	}
}

// audit verify answers in Slack to a role with audit, and to nobody else.
func TestAuditVerifyInSlack(t *testing.T) {
	t.Parallel()
	clock := &bottest.Clock{}
	h := bottest.New(t, &bottest.Options{Now: clock.Now})
	h.CreateUser("vera", "vera@example.com")
	h.Reply(h.Command(bottest.Admin, "enable vera"), 1)
	h.Reply(h.Command(bottest.Admin, "lookup vera"), 1)
	clock.Advance(time.Minute)
	v := h.Reply(h.Command(bottest.Support, "audit verify"), 1)
	if !bottest.Contains(v, "The audit chain is intact") || bottest.Contains(v, " 0 links") {
		t.Fatalf("audit verify on an honest log:\n%s", bottest.Text(v))
	}
	if bad := h.Reply(h.Command(bottest.Support, "audit verify --since never"), 1); !bottest.Contains(bad, "--since") {
		t.Errorf("a bad --since should be explained:\n%s", bottest.Text(bad))
	}
	if denied := h.Reply(h.Command("UNOBODY", "audit verify"), 1); !bottest.Contains(denied, "Not allowed") {
		t.Errorf("someone without audit ran audit verify:\n%s", bottest.Text(denied))
	}
}

// Two replicas serving commands at once leave one audit log whose chain verifies.
func TestTwoReplicasLeaveAnIntactChain(t *testing.T) {
	t.Parallel()
	h := bottest.New(t, &bottest.Options{Replicas: 2})
	const n = 12
	var wg sync.WaitGroup
	for i := range n {
		name := "rep" + string(rune('a'+i))
		h.CreateUser(name, name+"@example.com")
		wg.Go(func() { h.Reply(h.Command(bottest.Admin, "enable "+name), 1) })
	}
	wg.Wait()
	if rep := assertAuditChainIntact(t, h); rep.Entries < n {
		t.Errorf("%d entries checked, want at least %d", rep.Entries, n)
	}
}
