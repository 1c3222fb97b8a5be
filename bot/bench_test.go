package bot_test

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// BenchmarkSlashCommandBurst sends 300 slash commands within one second through the
// emulator to one bot and reports envelope → ack latency (p50/p99/max), how many
// were acked, how long until each got its answer, and the process's peak RSS.
// Target: p99 ack ≤ 25 ms and 100 % acked on 2 cores. Run with `make bench`.
func BenchmarkSlashCommandBurst(b *testing.B) {
	h := bottest.New(b, &bottest.Options{Wire: true})
	h.CreateUser("bench", "bench@example.com")
	const n = 300
	for range b.N {
		deliveries := make([]*slackemu.Delivery, n)
		var sent sync.WaitGroup
		start := time.Now()
		for i := range n {
			text := "lookup bench"
			if i%2 == 1 {
				text = "help"
			}
			sent.Add(1)
			go func() { defer sent.Done(); deliveries[i] = h.Command(bottest.Admin, text) }()
			time.Sleep(time.Until(start.Add(time.Duration(i+1) * time.Second / n)))
		}
		sent.Wait()
		injected := time.Since(start)
		ctx, cancel := h.Timeout()
		var acks, answers []time.Duration
		acked := 0
		for _, d := range deliveries {
			if a, err := h.Slack.WaitAck(ctx, d.EnvelopeID); err == nil && !a.Late {
				acked++
				acks = append(acks, a.Latency())
			}
		}
		for _, d := range deliveries {
			_ = h.Slack.Wait(ctx, func() bool { return len(h.Slack.ResponsePosts(d.ResponseURL)) > 0 })
			if posts := h.Slack.ResponsePosts(d.ResponseURL); len(posts) > 0 {
				answers = append(answers, posts[0].At.Sub(d.Sent))
			}
		}
		cancel()
		b.ReportMetric(float64(pct(acks, 50).Microseconds())/1000, "ack-p50-ms")
		b.ReportMetric(float64(pct(acks, 99).Microseconds())/1000, "ack-p99-ms")
		b.ReportMetric(float64(pct(acks, 100).Microseconds())/1000, "ack-max-ms")
		b.ReportMetric(100*float64(acked)/n, "acked-%")
		b.ReportMetric(float64(pct(answers, 50).Milliseconds()), "answer-p50-ms")
		b.ReportMetric(float64(pct(answers, 99).Milliseconds()), "answer-p99-ms")
		b.ReportMetric(float64(len(answers)), "answered")
		b.Logf("%d commands injected in %s on %d CPUs (%s): acked %d; ack p50 %s p99 %s max %s; answer p50 %s p99 %s; peak RSS %s",
			n, injected.Round(time.Millisecond), runtime.NumCPU(), runtime.GOARCH, acked,
			pct(acks, 50), pct(acks, 99), pct(acks, 100), pct(answers, 50), pct(answers, 99), peakRSS())
	}
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	return s[max(min(i, len(s))-1, 0)]
}

func peakRSS() string {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return "unknown"
	}
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return fmt.Sprintf("%d kB", ru.Maxrss)
}
