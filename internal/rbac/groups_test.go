package rbac_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// slackGroups is a scripted usergroups.users.list: it returns members[id]
// or err, and counts calls.
type slackGroups struct {
	mu      sync.Mutex
	members map[string][]string
	err     error
	calls   int
}

func (s *slackGroups) fetch(_ context.Context, id string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.err != nil {
		return nil, s.err
	}
	return s.members[id], nil
}

func (s *slackGroups) set(members []string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.members["S1"], s.err = members, err
}

func (s *slackGroups) callCount() int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls }

func TestCachedGroupsRefresh(t *testing.T) {
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	slack := &slackGroups{members: map[string][]string{"S1": {"U1"}}}
	logs, observed := observer.New(zap.WarnLevel)
	c := rbac.NewCachedGroups(slack.fetch, 5*time.Minute, rbac.WithClock(clk.Now), rbac.WithLogger(zap.New(logs)))
	ctx := context.Background()

	steps := []struct {
		name      string
		advance   time.Duration
		slack     []string
		slackErr  error
		want      []string
		wantErr   bool
		wantCalls int
	}{
		{"first lookup fetches", 0, []string{"U1"}, nil, []string{"U1"}, false, 1},
		{"within TTL is cached", 4 * time.Minute, []string{"U1", "U2"}, nil, []string{"U1"}, false, 1},
		{"after TTL refetches", 2 * time.Minute, []string{"U1", "U2"}, nil, []string{"U1", "U2"}, false, 2},
		{"failed refresh serves stale", 6 * time.Minute, nil, errors.New("boom"), []string{"U1", "U2"}, false, 3},
		{"no retry storm while failing", 10 * time.Second, nil, errors.New("boom"), []string{"U1", "U2"}, false, 3},
		{"retries after the pause", 30 * time.Second, []string{"U3"}, nil, []string{"U3"}, false, 4},
	}
	for _, s := range steps {
		clk.Add(s.advance)
		slack.set(s.slack, s.slackErr)
		got, err := c.Members(ctx, "S1")
		if (err != nil) != s.wantErr || strings.Join(got, ",") != strings.Join(s.want, ",") || slack.callCount() != s.wantCalls {
			t.Fatalf("%s: Members = %v, %v after %d fetches; want %v, error %v after %d",
				s.name, got, err, slack.callCount(), s.want, s.wantErr, s.wantCalls)
		}
	}
	if observed.FilterMessageSnippet("last known members").Len() != 1 {
		t.Errorf("want one warning about serving stale members, got %v", observed.All())
	}
}

func TestCachedGroupsErrorWithoutStaleDataDenies(t *testing.T) {
	fake := newGroups() // S1BROKEN always fails
	c := rbac.NewCachedGroups(fake.Members, time.Minute)
	if _, err := c.Members(context.Background(), "S1BROKEN"); err == nil {
		t.Fatal("Members: want the fetch error")
	}
	p := rbac.New(testConfig(), c)
	d := p.Decide(context.Background(), policy.Actor{Identity: policy.Identity{UserID: "U9NOBODY"}}, policy.Request{Stage: policy.Run, Action: "audit", Channel: "C1"})
	if d.Allowed() || d.Reason != "could not check your Slack user group membership; try again shortly" {
		t.Errorf("Decide = %v %q, want fail-closed denial", d.Verdict, d.Reason)
	}
	if d := p.Decide(context.Background(), policy.Actor{Identity: policy.Identity{UserID: "U1AUDITOR"}}, policy.Request{Stage: policy.Run, Action: "audit", Channel: "C1"}); !d.Allowed() {
		t.Errorf("direct member denied while the group is down: %q", d.Reason)
	}
}

func TestCachedGroupsSingleFlight(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	fetch := func(ctx context.Context, id string) ([]string, error) {
		calls.Add(1)
		<-release
		return []string{"U1"}, nil
	}
	c := rbac.NewCachedGroups(fetch, time.Minute)
	var wg sync.WaitGroup
	results := make(chan []string, 20)
	for range 20 {
		wg.Go(func() {
			got, err := c.Members(context.Background(), "S1")
			if err != nil {
				t.Error(err)
			}
			results <- got
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	close(results)
	if n := calls.Load(); n != 1 {
		t.Errorf("fetch called %d times for 20 concurrent lookups, want 1", n)
	}
	for got := range results {
		if len(got) != 1 || got[0] != "U1" {
			t.Errorf("Members = %v, want [U1]", got)
		}
	}
}

func TestCachedGroupsCallerCancelDoesNotPoisonOthers(t *testing.T) {
	release := make(chan struct{})
	fetch := func(ctx context.Context, id string) ([]string, error) {
		select {
		case <-release:
			return []string{"U1"}, ctx.Err()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c := rbac.NewCachedGroups(fetch, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := c.Members(ctx, "S1"); first <- err }()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v, want context.Canceled", err)
	}
	close(release)
	if got, err := c.Members(context.Background(), "S1"); err != nil || len(got) != 1 {
		t.Errorf("second caller got %v, %v; want the shared fetch's members", got, err)
	}
}

func TestCachedGroupsForgetAndCopies(t *testing.T) {
	slack := &slackGroups{members: map[string][]string{"S1": {"U1"}}}
	c := rbac.NewCachedGroups(slack.fetch, time.Hour)
	got, _ := c.Members(context.Background(), "S1")
	got[0] = "UHACKED"
	if again, _ := c.Members(context.Background(), "S1"); again[0] != "U1" || slack.callCount() != 1 {
		t.Errorf("cache changed by caller or refetched: %v after %d fetches", again, slack.callCount())
	}
	c.Forget("S1")
	slack.set([]string{"U2"}, nil)
	if got, _ := c.Members(context.Background(), "S1"); got[0] != "U2" || slack.callCount() != 2 {
		t.Errorf("after Forget: %v after %d fetches, want [U2] after 2", got, slack.callCount())
	}
}

func TestCachedGroupsPanickingFetch(t *testing.T) {
	c := rbac.NewCachedGroups(func(context.Context, string) ([]string, error) { panic("oops") }, time.Minute)
	if _, err := c.Members(context.Background(), "S1"); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("Members = %v, want a panic turned into an error", err)
	}
}

// TestCachedGroupsStaleListHasAnAgeLimit checks that a Slack outage can keep
// a removed member in a group only for a bounded time (2 × the refresh
// interval, at most 30 minutes): after that the policy denies with a clear
// message and the log says why, instead of trusting the old list forever.
func TestCachedGroupsStaleListHasAnAgeLimit(t *testing.T) {
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	slack := &slackGroups{members: map[string][]string{"S1": {"U1"}}}
	logs, observed := observer.New(zap.WarnLevel)
	c := rbac.NewCachedGroups(slack.fetch, 5*time.Minute, rbac.WithClock(clk.Now), rbac.WithLogger(zap.New(logs)))
	cfg := &config.Config{Roles: []config.Role{{Name: "ops", Actions: []config.Action{"lookup"}, Members: []string{"S1"}}}}
	p := rbac.New(cfg, c)
	ctx := context.Background()
	down := errors.New("slack: service_unavailable")

	steps := []struct {
		name     string
		at       time.Duration // since the first fetch
		slackErr error
		allowed  bool
		calls    int
	}{
		{"first lookup fetches", 0, nil, true, 1},
		{"stale list served while Slack is down", 5*time.Minute + time.Second, down, true, 2},
		{"still within twice the refresh interval", 9*time.Minute + 50*time.Second, down, true, 3},
		{"too old: denied although the list says yes", 10*time.Minute + time.Second, down, false, 4},
		{"denied again, Slack asked again", 10*time.Minute + 2*time.Second, down, false, 5},
		{"Slack back: allowed again", 10*time.Minute + 3*time.Second, nil, true, 6},
	}
	start := clk.Now()
	for _, s := range steps {
		clk.mu.Lock()
		clk.now = start.Add(s.at)
		clk.mu.Unlock()
		slack.set([]string{"U1"}, s.slackErr)
		d := p.Decide(ctx, policy.Actor{Identity: policy.Identity{UserID: "U1", TeamID: "T1"}}, policy.Request{Stage: policy.Run, Action: "lookup", Channel: "C1"})
		if d.Allowed() != s.allowed || slack.callCount() != s.calls {
			t.Fatalf("%s: Allow = %v %q after %d fetches; want %v after %d", s.name, d.Verdict, d.Reason, slack.callCount(), s.allowed, s.calls)
		}
		if !s.allowed && d.Reason != "could not check your Slack user group membership; try again shortly" {
			t.Errorf("%s: reason %q", s.name, d.Reason)
		}
	}
	refused := observed.FilterMessageSnippet("could not check Slack user group membership").All()
	if len(refused) != 2 || refused[0].Level != zap.ErrorLevel || refused[0].ContextMap()["group_id"] != "S1" {
		t.Errorf("want two error lines naming group S1 for the refusals, got %v", observed.All())
	}
}

// TestCachedGroupsMaxAgeCapsLongRefresh checks the 30-minute cap: with an
// hour-long refresh interval the list is fetched again after 30 minutes, and
// a list that old is not served during an outage.
func TestCachedGroupsMaxAgeCapsLongRefresh(t *testing.T) {
	clk := &clock{now: time.Unix(1_700_000_000, 0)}
	slack := &slackGroups{members: map[string][]string{"S1": {"U1"}}}
	c := rbac.NewCachedGroups(slack.fetch, time.Hour, rbac.WithClock(clk.Now))
	ctx := context.Background()
	if _, err := c.Members(ctx, "S1"); err != nil {
		t.Fatal(err)
	}
	clk.Add(29 * time.Minute)
	if _, err := c.Members(ctx, "S1"); err != nil || slack.callCount() != 1 {
		t.Fatalf("at 29m: %v after %d fetches, want the cached list", err, slack.callCount())
	}
	clk.Add(2 * time.Minute)
	slack.set(nil, errors.New("boom"))
	if got, err := c.Members(ctx, "S1"); err == nil || slack.callCount() != 2 {
		t.Errorf("at 31m with Slack down: %v, %v after %d fetches; want an error after asking Slack", got, err, slack.callCount())
	}
}
