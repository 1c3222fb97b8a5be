package sandbox

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// TestAPIRefusesCrossSiteRequests drives the JSON API as another site's page
// (a cross-site POST) and through a foreign host name (DNS rebinding) would:
// both are refused and the bot never sees the command; the page's own request
// runs it.
func TestAPIRefusesCrossSiteRequests(t *testing.T) {
	t.Parallel()
	sb := startSandbox(t)
	host := strings.TrimPrefix(sb.URL(), "http://")
	post := func(hostHeader, origin string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, sb.URL()+"/api/command",
			strings.NewReader(`{"Persona":"U0SBADMIN","Channel":"`+ChannelSupport+`","Text":"/cognito help"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if hostHeader != "" {
			req.Host = hostHeader
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	answers := func() int { return len(sb.Slack().Visible(ChannelSupport, "U0SBADMIN")) }

	for _, c := range []struct{ name, host, origin string }{
		{"cross-site POST", "", "http://evil.example"},
		{"opaque origin", "", "null"},
		{"same host, other port", "", "http://" + strings.Split(host, ":")[0] + ":1"},
		{"rebound host name", "evil.example:" + strings.Split(host, ":")[1], ""},
	} {
		code, body := post(c.host, c.origin)
		if code != http.StatusForbidden || !strings.Contains(body, "refused") {
			t.Errorf("%s: got %d %q, want 403 refused", c.name, code, body)
		}
	}
	if n := answers(); n != 0 {
		t.Fatalf("a refused request reached the bot: %d messages in #support", n)
	}

	if code, body := post("", "http://"+host); code != http.StatusOK {
		t.Fatalf("the page's own POST: %d %q", code, body)
	}
	if code, body := post("localhost:"+strings.Split(host, ":")[1], ""); code != http.StatusOK {
		t.Fatalf("a POST to localhost without Origin (curl): %d %q", code, body)
	}
}

// Slack is the embedded emulator, for tests that look behind the page.
func (s *Sandbox) Slack() *slackemu.Server { return s.emu }
