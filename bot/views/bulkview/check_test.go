package bulkview

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cognito-bot/cognito-bot/bot/views/viewstest"
)

// The Cancel button shows only while the check runs.
func TestCheckProgressCancelOnlyWhileRunning(t *testing.T) {
	for name, v := range map[string]CheckProgressView{
		"running": {JobEnd: JobEnd{JobID: "J"}}, "finished": {JobEnd: JobEnd{JobID: "J", Finished: true}},
		"cancelled": {JobEnd: JobEnd{JobID: "J", Cancelled: true}}, "cancelling": {JobEnd: JobEnd{JobID: "J", CancelRequested: true}},
		"failed": {JobEnd: JobEnd{JobID: "J", Failed: "x"}},
	} {
		raw, _ := json.Marshal(CheckProgress(v).Blocks)
		if got := strings.Contains(string(raw), "Cancel check"); got != (name == "running") {
			t.Errorf("%s: Cancel button shown = %v", name, got)
		}
	}
}

// Hostile input stays within Slack's limits and lets no mention through.
func TestLimitsHostileCheckProgress(t *testing.T) {
	hostile := strings.Repeat("<!channel> *x* `y` ", 400)
	for _, v := range []CheckProgressView{
		{What: hostile, Pool: hostile, Filter: hostile, JobEnd: JobEnd{JobID: hostile[:300]}},
		{What: hostile, Pool: hostile, Filter: hostile, JobEnd: JobEnd{Failed: hostile}},
	} {
		m := CheckProgress(v)
		viewstest.CheckMessage(t, m.Text, m.Blocks)
		if raw, _ := json.Marshal(m.Blocks); strings.Contains(string(raw), "<!channel>") || strings.Contains(m.Text, "<!channel>") {
			t.Error("an unescaped <!channel> reached the message")
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 4200: "4,200", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q; want %q", n, got, want)
		}
	}
}
