package metrics

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestLivenessFailsOnlyWhenTheLoopStopsBeating(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	h := NewHealth(30*time.Second, clock.now)
	clock.advance(20 * time.Second)
	if why := h.Live(); why != "" {
		t.Fatalf("a fresh bot counts as stuck: %s", why)
	}
	h.Beat()
	clock.advance(29 * time.Second)
	if why := h.Live(); why != "" {
		t.Fatalf("stuck 29 s after a beat: %s", why)
	}
	clock.advance(2 * time.Second)
	if why := h.Live(); !strings.Contains(why, "silent for 31s") {
		t.Fatalf("after 31 s of silence Live() = %q", why)
	}
}

func TestReadinessNeedsTheSocketAndAPassingDynamoDBCheck(t *testing.T) {
	h := NewHealth(time.Minute, time.Now)
	if why := h.Ready(); len(why) != 2 {
		t.Fatalf("a new bot should be unready for two reasons, got %q", why)
	}
	h.SetConnected(true)
	h.SetStoreCheck("audit table")
	if why := h.Ready(); len(why) != 1 || why[0] != "audit table unreachable" {
		t.Fatalf("Ready() = %q, want the DynamoDB failure", why)
	}
	h.SetStoreCheck()
	if why := h.Ready(); why != nil {
		t.Fatalf("connected with a passing check, yet %q", why)
	}
	h.SetConnected(false)
	if why := h.Ready(); len(why) != 1 || !strings.Contains(why[0], "Socket Mode") {
		t.Fatalf("after a disconnect Ready() = %q", why)
	}
}

func TestServeExposesMetricsAndHealth(t *testing.T) {
	m := New()
	ctx, cancel := context.WithCancel(context.Background())
	addr, errs, err := m.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "not connected") {
		t.Errorf("/readyz before connecting = %d %q", code, body)
	}
	m.Connected(true)
	m.Health.SetStoreCheck()
	if code, _ := get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz when ready = %d", code)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d", code)
	}
	m.EnvelopeReceived("slash_commands")
	m.Acked(2 * time.Millisecond)
	m.QueueDepth(2)
	m.Turned("busy")
	m.StepDone("disable", "ok")
	m.LimiterWaited("user_update", 250*time.Millisecond)
	m.JobLimiterWaited("UserUpdate", time.Second)
	m.AuditWriteFailed("begin")
	m.BulkProgress("job1", 10, 4, 1, 2)
	_, body := get("/metrics")
	for _, want := range []string{
		`cognito_bot_envelopes_total{type="slash_commands"} 1`,
		`cognito_bot_ack_latency_seconds_count 1`,
		`cognito_bot_queue_depth 2`,
		`cognito_bot_turned_away_total{reason="busy"} 1`,
		`cognito_bot_actions_total{action="disable",result="ok"} 1`,
		`cognito_bot_cognito_limiter_wait_seconds_count{category="user_update"} 1`,
		`cognito_bot_bulk_limiter_wait_seconds_count{category="UserUpdate"} 1`,
		`cognito_bot_audit_write_failures_total{operation="begin"} 1`,
		`cognito_bot_bulk_job_items{job="job1",state="done"} 4`,
		`cognito_bot_bulk_job_items{job="job1",state="skipped"} 2`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	m.BulkDone("job1")
	if _, body := get("/metrics"); strings.Contains(body, `job="job1"`) {
		t.Error("a finished bulk job still has series")
	}
	cancel()
	select {
	case err := <-errs:
		if err != nil {
			t.Errorf("serving ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the server did not stop with its context")
	}
}

func TestServeRejectsABadAddressAtOnce(t *testing.T) {
	if _, _, err := New().Serve(context.Background(), "256.0.0.1:99999"); err == nil {
		t.Fatal("a bad listen address was accepted")
	}
}
