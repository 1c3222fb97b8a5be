package app

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/metrics"
)

// scrape reads /metrics the way Prometheus does.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// An action whose bot stopped between its intent and its outcome is closed by the
// sweeper and counted, so an operator is paged to check that user; while Slack's
// socket is up the connected gauge says so.
func TestAbandonedActionsAndTheSocketShowInMetrics(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	h := bottest.New(t, &bottest.Options{Observer: m, AbandonAfter: 50 * time.Millisecond, SweepEvery: 50 * time.Millisecond})
	if text := scrape(t, m); !strings.Contains(text, "cognito_bot_socket_connected 1") {
		t.Errorf("connected to the emulator, yet:\n%s", grepLines(text, "socket_connected"))
	}
	err := h.Audit.Begin(context.Background(), audit.Entry{ID: "exec#crashed-disable", Action: "disable",
		Actor: audit.Actor{UserID: bottest.Admin, TeamID: bottest.Team}, Target: audit.Target{Pool: h.Pool.ID, Username: "ghost"},
		Decision: audit.Allowed, Outcome: audit.OutcomePending})
	if err != nil {
		t.Fatal(err)
	}
	h.Eventually("the abandoned action counted", func() bool {
		return strings.Contains(scrape(t, m), `cognito_bot_outcome_unknown_total{cause="abandoned"} 1`)
	})
	if text := scrape(t, m); !strings.Contains(text, `cognito_bot_outcome_unknown_total{cause="lost_answer"} 0`) {
		t.Errorf("a lost answer was counted though none happened:\n%s", grepLines(text, "outcome_unknown"))
	}
	h.Stop()
	if text := scrape(t, m); !strings.Contains(text, "cognito_bot_socket_connected 0") {
		t.Errorf("stopped, yet:\n%s", grepLines(text, "socket_connected"))
	}
}

func grepLines(text, part string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, part) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
