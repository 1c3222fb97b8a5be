package bot_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
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
		var card []byte
		for range 5 { // warm connections and caches
			card = h.Reply(h.Command(bottest.Admin, "lookup while"), 1).Blocks
		}
		floor := newLookupFloor(b, h, "while", card)
		idle := timeLookups()
		idleFloor := floorMedian(floor, 20)
		page := exportPageTime(b, h, 10)
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
		busyFloor := floorMedian(floor, 20)
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
		b.Logf("one export page (ListUsers, 60 of the %d users) takes moto %s idle; the exports read up to %.0f pages/s (the job share of quotas.user_list)",
			users, page.Round(10*time.Microsecond), h.Config.Quotas.UserList*0.8)
		ctx, cancel := h.Timeout()
		_ = h.Slack.Wait(ctx, func() bool { return len(h.Slack.Files()) >= exporters })
		cancel()
	}
}

// exportPageTime is the median time moto takes to serve one unfiltered page
// of 60 users, as an export reads them.
func exportPageTime(b *testing.B, h *bottest.Harness, n int) time.Duration {
	idp := cip.NewFromConfig(testenv.AWSConfig(b))
	var took []time.Duration
	for range n {
		start := time.Now()
		if _, err := idp.ListUsers(context.Background(), &cip.ListUsersInput{UserPoolId: aws.String(h.Pool.ID), Limit: aws.Int32(60)}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	return pct(took, 50)
}

// floorMedian is the median of n lookups' worth of unavoidable calls.
func floorMedian(f *lookupFloor, n int) time.Duration {
	var took []time.Duration
	for range n {
		took = append(took, f.once(context.Background()).total)
	}
	return pct(took, 50)
}
