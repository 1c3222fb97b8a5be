package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/bot/views/bulkview"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// startBulkDisable types "bulk disable" on names as user, confirms the dry run
// and returns the job's id.
func startBulkDisable(b *testing.B, h *bottest.Harness, user string, names []string) string {
	// Past a few users the dry run follows a note that it is being checked.
	dry := h.Reply(h.Command(user, "bulk disable "+strings.Join(names, " ")), 2)
	if want := fmt.Sprintf("Disable %d users", len(names)); !bottest.Contains(dry, want) {
		b.Fatalf("dry run does not offer %q:\n%s", want, bottest.Text(dry))
	}
	var jobID string
	for _, btn := range dry.Buttons() {
		if btn.ActionID == bulkview.ActionIDBulkConfirm {
			jobID = btn.Value
		}
	}
	h.Click(dry, bulkview.ActionIDBulkConfirm, user)
	return jobID
}

// perWindow counts the calls in every window of length w that starts on a
// whole second from the first call, up to end: the busiest is the one that
// matters for a quota.
func perWindow(times []time.Time, w time.Duration, end time.Time) (busiest float64, at time.Duration) {
	if len(times) == 0 {
		return 0, 0
	}
	start := times[0]
	for from := start; !from.Add(w).After(end); from = from.Add(time.Second) {
		n := 0
		for _, t := range times {
			if !t.Before(from) && t.Before(from.Add(w)) {
				n++
			}
		}
		if r := float64(n) / w.Seconds(); r > busiest {
			busiest, at = r, from.Sub(start)
		}
	}
	return busiest, at
}

// BenchmarkTwoReplicasShareOneBudget runs two replicas that share one
// UserUpdate budget of 20/s through their lease rows in DynamoDB Local, each
// running a bulk disable (the bulk limits keep 20 % for interactive commands,
// so the jobs' ceiling is 16/s for the deployment). Calls are counted at a
// proxy in front of moto. Then one replica is stopped as a killed process
// would be: the survivor takes its job over and, once the dead replica's lease
// (10 s) has run out, the whole budget. Figures: the busiest 10 s window
// against the budget (target ≤ 1.02), the aggregate against the jobs' ceiling
// while both run, and how long after the stop the survivor alone reaches
// 95 % of that ceiling (target ≤ one lease).
func BenchmarkTwoReplicasShareOneBudget(b *testing.B) {
	const budget, perJob = 20.0, 250
	ceiling := budget * 0.8
	quotas := quota.Quotas{UserUpdate: budget, UserRead: 1000, UserList: 1000}
	h := bottest.New(b, &bottest.Options{Replicas: 2, SharedBudget: true, CognitoCount: true,
		BulkProgressEvery: 2 * time.Second, DirectoryQuotas: quotas,
		Configure: func(c *config.Config) {
			c.Quotas.UserUpdate, c.Quotas.UserRead, c.Quotas.UserList = quotas.UserUpdate, quotas.UserRead, quotas.UserList
		}})
	first := seedUsers(b, h, "ba", perJob)
	second := seedUsers(b, h, "bb", perJob)
	for range b.N {
		jobs := []string{startBulkDisable(b, h, bottest.Admin, first), startBulkDisable(b, h, bottest.Admin2, second)}
		// Both jobs running, then 15 s of both replicas at work.
		h.Eventually("both jobs running", func() bool {
			return h.Job(jobs[0]).State == audit.JobRunning && h.Job(jobs[1]).State == audit.JobRunning
		})
		both := time.Now()
		owners := []string{h.Job(jobs[0]).Owner, h.Job(jobs[1]).Owner}
		time.Sleep(15 * time.Second)
		stopped := bottest.ReplicaOf(owners[0])
		stop := time.Now()
		h.StopReplica(stopped)
		// When does the survivor's part become the whole budget? (Its jobs'
		// rate also waits for the takeover of the stopped replica's jobs.)
		survivor, whole := 1-stopped, time.Duration(-1)
		for deadline := stop.Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if h.BudgetPart(survivor) == 1 {
				whole = time.Since(stop)
				break
			}
		}
		waitFile(b, h, 2, 10*time.Minute)
		end := time.Now()

		times := h.Throttle.Times("AdminDisableUser")
		busiest, at := perWindow(times, 10*time.Second, end)
		n := 0
		for _, t := range times {
			if !t.Before(both) && t.Before(stop) {
				n++
			}
		}
		beforeStop := float64(n) / stop.Sub(both).Seconds()
		// The last 5 s before the stop: the split has settled on the demand
		// (it takes up to about two heartbeats after the jobs start).
		settled := 0
		for _, t := range times {
			if !t.Before(stop.Add(-5*time.Second)) && t.Before(stop) {
				settled++
			}
		}
		settledRate := float64(settled) / 5
		// The survivor's rate over 2 s windows after the stop: when does it
		// first reach 95 % of the whole ceiling?
		reached := time.Duration(-1)
		for from := stop; from.Add(2 * time.Second).Before(end); from = from.Add(250 * time.Millisecond) {
			k := 0
			for _, t := range times {
				if !t.Before(from) && t.Before(from.Add(2*time.Second)) {
					k++
				}
			}
			if float64(k)/2 >= 0.95*ceiling {
				reached = from.Add(2 * time.Second).Sub(stop)
				break
			}
		}
		b.ReportMetric(busiest/budget, "busiest10s/budget")
		b.ReportMetric(beforeStop/ceiling, "bothRunning/ceiling")
		b.ReportMetric(settledRate/ceiling, "last5sBeforeStop/ceiling")
		b.ReportMetric(reached.Seconds(), "s-to-full-after-stop")
		b.ReportMetric(whole.Seconds(), "s-to-whole-part-after-stop")
		b.Logf("two replicas, UserUpdate budget %.0f/s (jobs' ceiling %.0f/s), jobs on %v; %d disables in %s",
			budget, ceiling, owners, len(times), end.Sub(times[0]).Round(time.Millisecond))
		b.Logf("busiest 10 s window: %.2f/s = %.3f of the budget (at +%s); both running: %.2f/s = %.3f of the ceiling",
			busiest, busiest/budget, at, beforeStop, beforeStop/ceiling)
		b.Logf("the last 5 s before the stop: %.2f/s = %.3f of the ceiling", settledRate, settledRate/ceiling)
		b.Logf("replica %d stopped: the survivor reached 95 %% of the ceiling %s later (lease %s; -1: never)",
			stopped, reached.Round(100*time.Millisecond), 10*time.Second)
		b.Logf("its part of the budget became the whole %s after the stop (-1: not within 30 s)", whole.Round(10*time.Millisecond))
	}
}
