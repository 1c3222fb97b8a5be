package bot_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// BenchmarkLookupWhile16ExportsRun times lookups with the bot idle, then
// while 16 people's exports run as jobs on the same replica
// (bulk.max_exports 16), on moto and DynamoDB Local at the configured quotas:
// the exports run beside the workers under the job share of the ListUsers
// quota, so a lookup should answer within 1.2× of its idle time. Lookups are
// paced (lookupEvery) within the interactive reserve of that quota, as a
// support desk's are. It reports both p50s, their ratio, and how many exports
// were still running when the last lookup answered (all 16 should be).
func BenchmarkLookupWhile16ExportsRun(b *testing.B) {
	const exporters, users, lookups, lookupEvery = 16, 1500, 30, 400 * time.Millisecond
	people := make([]string, exporters)
	for i := range people {
		people[i] = fmt.Sprintf("UEXPORT%02d", i)
	}
	// Production's lease and progress spacing: the test defaults (1 s, 50 ms)
	// would renew and redraw 16 jobs far more often than a deployment does.
	h := bottest.New(b, &bottest.Options{Wire: true, BulkLease: 10 * time.Second, BulkProgressEvery: 3 * time.Second, Configure: func(c *config.Config) {
		c.Roles = append(c.Roles, config.Role{Name: "exporters", Members: people, Actions: []config.Action{actions.Export}})
		c.Bulk.MaxExports = exporters
	}})
	h.CreateUser("while", "while@example.com")
	h.CreateUser("floor", "floor@example.com")
	seedUsers(b, h, "seed", users)
	timeLookups := func() []time.Duration {
		var took []time.Duration
		start := time.Now()
		for i := range lookups {
			time.Sleep(time.Until(start.Add(time.Duration(i) * lookupEvery)))
			d := h.Command(bottest.Admin, "lookup while")
			h.Reply(d, 1)
			if posts := h.Slack.ResponsePosts(d.ResponseURL); len(posts) > 0 {
				took = append(took, posts[0].At.Sub(d.Sent))
			}
		}
		return took
	}
	for range b.N {
		for range 5 { // warm connections and caches
			h.Reply(h.Command(bottest.Admin, "lookup while"), 1)
		}
		idle := timeLookups()
		idleFloor, _ := lookupFloor(b, h, 20)
		for _, p := range people {
			h.Command(p, "export --attributes email")
		}
		for _, p := range people {
			h.WaitMessage("an export under way", func(m slackemu.Message) bool {
				return m.Channel == h.Slack.DMChannel(p) && bottest.Contains(m, "Export") && len(m.Buttons()) > 0
			})
		}
		busy := timeLookups()
		files := len(h.Slack.Files())
		// The emulators serve the exports' pages too: the same calls a
		// lookup makes, timed directly, show how much slower they got.
		busyFloor, _ := lookupFloor(b, h, 20)
		ratio := float64(pct(busy, 50)) / float64(pct(idle, 50))
		b.ReportMetric(float64(pct(idle, 50).Microseconds())/1000, "idle-p50-ms")
		b.ReportMetric(float64(pct(busy, 50).Microseconds())/1000, "with-exports-p50-ms")
		b.ReportMetric(ratio, "busy/idle")
		b.ReportMetric(float64(busyFloor)/float64(idleFloor), "floor-busy/idle")
		b.Logf("lookup p50 idle %s (p90 %s); with %d exports of %d users running %s (p90 %s): %.2fx; %d of the exports had finished by the last lookup; %d CPUs",
			pct(idle, 50).Round(10*time.Microsecond), pct(idle, 90).Round(10*time.Microsecond), exporters, users,
			pct(busy, 50).Round(10*time.Microsecond), pct(busy, 90).Round(10*time.Microsecond), ratio, files, runtime.NumCPU())
		b.Logf("the floor of a lookup's calls on the emulators: idle %s, with the exports %s (%.2fx); lookup minus floor: idle %s, with the exports %s",
			idleFloor.Round(10*time.Microsecond), busyFloor.Round(10*time.Microsecond), float64(busyFloor)/float64(idleFloor),
			(pct(idle, 50) - idleFloor).Round(10*time.Microsecond), (pct(busy, 50) - busyFloor).Round(10*time.Microsecond))
		ctx, cancel := h.Timeout()
		_ = h.Slack.Wait(ctx, func() bool { return len(h.Slack.Files()) >= exporters })
		cancel()
	}
}
