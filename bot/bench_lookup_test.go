package bot_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// liftedQuotas takes Cognito's client-side limits out of the way, so a
// benchmark measures the bot and the emulators, not the pacing.
func liftedQuotas(c *config.Config) {
	q := &c.Quotas
	q.UserRead, q.UserList, q.UserResourceRead, q.UserPoolRead, q.UserPoolResourceRead = 1e5, 1e5, 1e5, 1e5, 1e5
}

var liftedDirectory = quota.Quotas{UserRead: 1e5, UserList: 1e5, UserResourceRead: 1e5, UserPoolRead: 1e5, UserPoolResourceRead: 1e5}

// BenchmarkLookupAgainstItsFloor answers lookups one after another (quotas
// lifted) and compares their time with the floor of the calls a lookup
// cannot avoid (lookupFloor says which and why), made on the same emulators in
// the same run: each lookup is followed by one floor's worth of calls, so a
// machine whose load changes during the run weighs on both alike. It also
// lists the AWS calls of the median lookup, in order, with their times, and
// the Slack round trip (help, which calls nothing) that every answer pays too.
func BenchmarkLookupAgainstItsFloor(b *testing.B) {
	calls := &awsCalls{}
	h := bottest.New(b, &bottest.Options{Wire: true, DirectoryQuotas: liftedDirectory, Configure: liftedQuotas, AWSCalls: calls.add})
	h.CreateUser("floor", "floor@example.com")
	const n = 60
	ctx := context.Background()
	for range b.N {
		var card []byte
		for range 5 { // warm connections and caches
			card = h.Reply(h.Command(bottest.Admin, "lookup floor"), 1).Blocks
		}
		floor := newLookupFloor(b, h, "floor", card)
		for range 5 {
			floor.once(ctx)
		}
		var took []time.Duration
		var traces []lookupTrace
		var floors []floorTimes
		for range n {
			d := h.Command(bottest.Admin, "lookup floor")
			h.Reply(d, 1)
			if posts := h.Slack.ResponsePosts(d.ResponseURL); len(posts) > 0 {
				took = append(took, posts[0].At.Sub(d.Sent))
				traces = append(traces, lookupTrace{sent: d.Sent, answered: posts[0].At, calls: calls.between(d.Sent, posts[0].At)})
			}
			floors = append(floors, floor.once(ctx))
		}
		if t, of := medianTrace(traces); of > 0 {
			b.Logf("the AWS calls of the median lookup (%d of %d made these calls), started at +time after the envelope, taking:%s", of, len(traces), t)
		}
		// help touches neither Cognito nor DynamoDB: its time is the Slack
		// round trip (envelope in, queue, answer out) that every lookup pays too.
		var slackTrip []time.Duration
		for range n {
			d := h.Command(bottest.Admin, "help")
			h.Reply(d, 1)
			if posts := h.Slack.ResponsePosts(d.ResponseURL); len(posts) > 0 {
				slackTrip = append(slackTrip, posts[0].At.Sub(d.Sent))
			}
		}
		total, parts := floorSummary(floors)
		ratio := float64(pct(took, 50)) / float64(total)
		b.Logf("help p50 %s (the Slack round trip); lookup p50 − help p50 = %s, %.2fx the floor",
			pct(slackTrip, 50).Round(10*time.Microsecond), (pct(took, 50) - pct(slackTrip, 50)).Round(10*time.Microsecond),
			float64(pct(took, 50)-pct(slackTrip, 50))/float64(total))
		b.ReportMetric(float64(pct(took, 50).Microseconds())/1000, "lookup-p50-ms")
		b.ReportMetric(float64(total.Microseconds())/1000, "floor-ms")
		b.ReportMetric(ratio, "lookup/floor")
		b.Logf("lookup p50 %s, p90 %s over %d in a row; floor p50 %s (%s); %.2fx the floor",
			pct(took, 50).Round(10*time.Microsecond), pct(took, 90).Round(10*time.Microsecond), n, total.Round(10*time.Microsecond), parts, ratio)
	}
}

// BenchmarkLookupBurstFrom100People sends 300 lookups within one second from
// 100 people (quotas lifted) and reports envelope → ack latency (the target:
// p99 ≤ 10 ms on 2 cores) and the answers' times, against the floor of one
// lookup's calls (lookupFloor) measured just before on the same emulators.
func BenchmarkLookupBurstFrom100People(b *testing.B) {
	people := make([]string, 100)
	for i := range people {
		people[i] = fmt.Sprintf("UPEOPLE%03d", i)
	}
	calls := &awsCalls{}
	h := bottest.New(b, &bottest.Options{Wire: true, DirectoryQuotas: liftedDirectory, AWSCalls: calls.add, Configure: func(c *config.Config) {
		liftedQuotas(c)
		c.Roles = append(c.Roles, config.Role{Name: "desk", Members: people, Actions: []config.Action{actions.Lookup}})
	}})
	h.CreateUser("burst", "burst@example.com")
	const n = 300
	ctx := context.Background()
	for range b.N {
		var card []byte
		for range 5 { // warm connections and caches
			card = h.Reply(h.Command(bottest.Admin, "lookup burst"), 1).Blocks
		}
		floor := newLookupFloor(b, h, "burst", card)
		var floors []floorTimes
		for range 30 {
			floors = append(floors, floor.once(ctx))
		}
		idle, _ := floorSummary(floors)
		deliveries := make([]*slackemu.Delivery, n)
		var sent sync.WaitGroup
		start := time.Now()
		for i := range n {
			sent.Add(1)
			go func() { defer sent.Done(); deliveries[i] = h.Command(people[i%len(people)], "lookup burst") }()
			time.Sleep(time.Until(start.Add(time.Duration(i+1) * time.Second / n)))
		}
		sent.Wait()
		injected := time.Since(start)
		wait, cancel := h.Timeout()
		var acks, answers []time.Duration
		for _, d := range deliveries {
			if a, err := h.Slack.WaitAck(wait, d.EnvelopeID); err == nil && !a.Late {
				acks = append(acks, a.Latency())
			}
		}
		for _, d := range deliveries {
			_ = h.Slack.Wait(wait, func() bool { return len(h.Slack.ResponsePosts(d.ResponseURL)) > 0 })
			if posts := h.Slack.ResponsePosts(d.ResponseURL); len(posts) > 0 {
				answers = append(answers, posts[0].At.Sub(d.Sent))
			}
		}
		cancel()
		b.Logf("the bots' AWS calls from the first envelope to the last answer: %s", perOperation(calls.between(start, time.Now())))
		b.ReportMetric(float64(pct(acks, 99).Microseconds())/1000, "ack-p99-ms")
		b.ReportMetric(float64(pct(answers, 50).Milliseconds()), "answer-p50-ms")
		b.ReportMetric(float64(idle.Microseconds())/1000, "floor-ms")
		b.Logf("%d lookups from 100 people injected in %s on %d CPUs: acked %d; ack p50 %s p99 %s (target ≤ 10ms) max %s; answered %d, p50 %s (%.1fx the floor of one lookup alone, %s) p99 %s",
			n, injected.Round(time.Millisecond), runtime.NumCPU(), len(acks), pct(acks, 50), pct(acks, 99), pct(acks, 100),
			len(answers), pct(answers, 50), float64(pct(answers, 50))/float64(idle), idle.Round(10*time.Microsecond), pct(answers, 99))
	}
}
