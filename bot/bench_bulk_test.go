package bot_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// The bulk benchmarks run on moto and DynamoDB Local (`make bench`); they
// report figures and assert nothing about timings.

// seedUsers creates n users on moto, a few at a time, without the bot.
func seedUsers(b *testing.B, h *bottest.Harness, prefix string, n int) []string {
	names := make([]string, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		names[i] = fmt.Sprintf("%s%05d", prefix, i)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			_, _, err := h.Users.CreateUser(bottest.Fixture(context.Background()), h.Pool.ID, cognito.NewUser{Username: names[i],
				Attributes: map[string]string{"email": names[i] + "@example.com", "name": "User " + names[i]}, Invitation: cognito.InviteSuppress})
			if err != nil {
				b.Errorf("seeding %s: %v", names[i], err)
			}
		}()
	}
	wg.Wait()
	return names
}

// waitFile waits (up to limit) for the bot's nth shared file and parses it.
func waitFile(b *testing.B, h *bottest.Harness, n int, limit time.Duration) [][]string {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var f slackemu.File
	if err := h.Slack.Wait(ctx, func() bool {
		files := h.Slack.Files()
		if len(files) < n {
			return false
		}
		f = files[n-1]
		return true
	}); err != nil {
		b.Fatalf("no file %d after %s", n, limit)
	}
	rows, err := csv.NewReader(strings.NewReader(string(f.Content))).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	return rows
}

// runBulkDisable confirms `bulk disable --enabled` (every enabled user of the
// benchmark's pool: the n it seeded) and returns the job's time (confirm →
// results CSV) and how many targets failed.
func runBulkDisable(b *testing.B, h *bottest.Harness, n int, nthFile int) (time.Duration, int) {
	dry := h.Reply(h.Command(bottest.Admin, "bulk disable --enabled"), 1)
	if !bottest.Contains(dry, fmt.Sprintf("%d to disable", n)) {
		b.Fatalf("dry run:\n%s", bottest.Text(dry))
	}
	start := time.Now()
	h.Click(dry, bulkview.ActionIDBulkConfirm, bottest.Admin)
	rows := waitFile(b, h, nthFile, 10*time.Minute)
	took := time.Since(start)
	failed := 0
	for _, r := range rows[1:] {
		if r[3] != "done" {
			failed++
		}
	}
	return took, failed
}

// BenchmarkBulkDisableAtTheQuota disables 1 000 users on moto with the
// UserUpdate quota at 25/s: the job runs at 25 × (1 − 0.2 reserve) = 20/s, so
// the figure of merit is achieved / 20 (target ≥ 0.95), and failures (target 0).
func BenchmarkBulkDisableAtTheQuota(b *testing.B) {
	const n = 1000
	h := bottest.New(b, &bottest.Options{Wire: true, BulkProgressEvery: 3 * time.Second,
		DirectoryQuotas: quota.Quotas{UserUpdate: 25, UserRead: 1000},
		Configure: func(c *config.Config) {
			c.Quotas.UserUpdate = 25
			c.Quotas.UserRead = 1000
		}})
	seedUsers(b, h, "q", n)
	for range b.N {
		took, failed := runBulkDisable(b, h, n, 1)
		rate := float64(n) / took.Seconds()
		jobRate := 25 * 0.8
		b.ReportMetric(rate, "users/s")
		b.ReportMetric(rate/jobRate, "achieved/configured")
		b.ReportMetric(float64(failed), "failed")
		b.Logf("bulk disable of %d users at UserUpdate 25/s (job share 20/s): %s, %.2f users/s = %.3f of the job rate (%.3f of 25/s); %d failed; peak RSS %s",
			n, took.Round(time.Millisecond), rate, rate/jobRate, rate/25, failed, peakRSS())
	}
}

// BenchmarkBulkDisableVsCLILoop disables the same 1 000 users with quotas
// raised out of the way, against a shell loop of `aws cognito-idp
// admin-disable-user` on the same moto over 50 other users, scaled to 1 000
// (the loop's cost is per call: one process start each).
func BenchmarkBulkDisableVsCLILoop(b *testing.B) {
	const n, loop = 1000, 50
	endpoint := os.Getenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
	if _, err := exec.LookPath("aws"); err != nil || endpoint == "" {
		b.Skip("needs the aws CLI and moto (make bench)")
	}
	raised := quota.Quotas{UserUpdate: 5000, UserRead: 5000, UserList: 5000}
	h := bottest.New(b, &bottest.Options{Wire: true, BulkProgressEvery: 3 * time.Second, DirectoryQuotas: raised, Configure: func(c *config.Config) {
		c.Quotas.UserUpdate, c.Quotas.UserRead, c.Quotas.UserList = raised.UserUpdate, raised.UserRead, raised.UserList
	}})
	cliUsers := seedUsers(b, h, "cli", loop)
	seedUsers(b, h, "r", n)
	region := strings.SplitN(h.Pool.ID, "_", 2)[0]
	for range b.N {
		start := time.Now()
		for _, u := range cliUsers {
			cmd := exec.Command("aws", "cognito-idp", "admin-disable-user", "--user-pool-id", h.Pool.ID, "--username", u,
				"--endpoint-url", endpoint, "--region", region)
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("aws cli: %v\n%s", err, out)
			}
		}
		cli := time.Since(start)
		cliScaled := cli * n / loop
		took, failed := runBulkDisable(b, h, n, 1) // the CLI's users are disabled by now
		speedup := cliScaled.Seconds() / took.Seconds()
		b.ReportMetric(float64(n)/took.Seconds(), "bot-users/s")
		b.ReportMetric(float64(loop)/cli.Seconds(), "cli-users/s")
		b.ReportMetric(speedup, "speedup")
		b.Logf("quotas raised: bot %d users in %s (%.1f/s, %d failed); aws CLI loop %d users in %s (%.2f/s) → %s scaled to %d; speedup %.1fx; peak RSS %s",
			n, took.Round(time.Millisecond), float64(n)/took.Seconds(), failed, loop, cli.Round(time.Millisecond),
			float64(loop)/cli.Seconds(), cliScaled.Round(time.Second), n, speedup, peakRSS())
	}
}

// BenchmarkExport10000 exports 10 000 users on moto with the ListUsers quota at
// 30/s: the bound is 10 000 / 60 per page / 30 per s = 5.6 s (the bot's own
// job share, 24/s, makes it 6.9 s).
func BenchmarkExport10000(b *testing.B) {
	const n = 10000
	h := bottest.New(b, &bottest.Options{Wire: true, BulkProgressEvery: 3 * time.Second, DirectoryQuotas: quota.Quotas{UserList: 30},
		Configure: func(c *config.Config) { c.Quotas.UserList = 30 }})
	seedUsers(b, h, "x", n)
	bound := time.Duration(n) * time.Second / 60 / 30
	for i := range b.N {
		start := time.Now()
		h.Command(bottest.Admin, "export --attributes email,name")
		rows := waitFile(b, h, i+1, 10*time.Minute)
		took := time.Since(start)
		if len(rows) != n+1 {
			b.Errorf("%d rows; want %d", len(rows)-1, n)
		}
		b.ReportMetric(took.Seconds(), "export-s")
		b.ReportMetric(took.Seconds()/bound.Seconds(), "time/quota-bound")
		b.Logf("export of %d users: %s against the ListUsers bound %s (%.2fx; the bot's 0.8 share bound is %s); peak RSS %s",
			n, took.Round(time.Millisecond), bound.Round(time.Millisecond), took.Seconds()/bound.Seconds(),
			(time.Duration(float64(bound) / 0.8)).Round(time.Millisecond), peakRSS())
	}
}
