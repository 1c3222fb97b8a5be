package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cognito-bot/cognito-bot/bot/bottest"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/testenv"
)

// The streaming-export benchmark: the bot exports a million users that a fake
// ListUsers endpoint in another process generates, so the users' own memory
// is not the bot's. Its figures go in the README; nothing here is asserted
// about time or memory.

// fakeListUsersEnv, in a child of the test binary, makes it the fake
// endpoint instead of running tests (see TestMain).
const fakeListUsersEnv = "COGNITO_BOT_FAKE_LISTUSERS"

func TestMain(m *testing.M) {
	if n := os.Getenv(fakeListUsersEnv); n != "" {
		serveFakeListUsers(n, os.Getenv("COGNITO_BOT_FAKE_FORWARD"))
		return
	}
	testenv.RaiseParallel()
	os.Exit(m.Run())
}

// serveFakeListUsers answers ListUsers with users generated on the fly
// (u0000000 …, pages of the asked limit, the next index as the token) and
// forwards every other Cognito operation to forward (moto). It prints its
// address and serves until its standard input closes (its parent is gone).
func serveFakeListUsers(count, forward string) {
	n, err := strconv.Atoi(count)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake ListUsers: bad count", count)
		os.Exit(2)
	}
	target, err := url.Parse(forward)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake ListUsers: bad forward URL", forward)
		os.Exit(2)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake ListUsers:", err)
		os.Exit(2)
	}
	fmt.Printf("LISTEN %s\n", ln.Addr())
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); os.Exit(0) }()
	created := float64(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
	_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".ListUsers") {
			proxy.ServeHTTP(w, r)
			return
		}
		var in struct {
			Limit           int
			PaginationToken string
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		from, _ := strconv.Atoi(in.PaginationToken)
		limit := min(max(in.Limit, 1), 60)
		type attr struct{ Name, Value string }
		type user struct {
			Username                             string
			Attributes                           []attr
			UserCreateDate, UserLastModifiedDate float64
			Enabled                              bool
			UserStatus                           string
		}
		out := struct {
			Users           []user
			PaginationToken string `json:",omitempty"`
		}{Users: []user{}}
		for i := from; i < min(from+limit, n); i++ {
			name := fmt.Sprintf("u%07d", i)
			out.Users = append(out.Users, user{Username: name, Enabled: true, UserStatus: "CONFIRMED",
				UserCreateDate: created, UserLastModifiedDate: created,
				Attributes: []attr{{"sub", fmt.Sprintf("00000000-0000-4000-8000-%012d", i)},
					{"email", name + "@example.com"}, {"name", "User " + name}}})
		}
		if from+limit < n {
			out.PaginationToken = strconv.Itoa(from + limit)
		}
		body, err := json.Marshal(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Header().Set("x-amzn-RequestId", "fake-ListUsers")
		_, _ = w.Write(body)
	}))
}

// startFakeListUsers runs the fake endpoint in a child process and returns
// its URL; the child ends with the benchmark.
func startFakeListUsers(b *testing.B, users int, moto string) string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fakeListUsersEnv+"="+strconv.Itoa(users), "COGNITO_BOT_FAKE_FORWARD="+moto)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "LISTEN ")
	if err != nil || !ok {
		b.Fatalf("fake ListUsers did not start: %q %v", line, err)
	}
	return "http://" + addr
}

// resetPeakRSS starts the process's peak RSS (VmHWM) afresh, so a benchmark
// reports its own peak rather than an earlier one's (Linux ≥ 4.0).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// BenchmarkExportMillionUsersFromAFakeListUsersEndpoint exports 1 000 000
// users served by the fake ListUsers endpoint in another process, once with
// the ListUsers rate lifted (the bot's own speed, users/s) and once at
// quotas.user_list 100/s (a bound of 1e6 / 60 / 100 = 167 s; the export's job
// share, 0.8 of it, 208 s). The bot streams rows to a spool file and the
// upload from it; the emulator keeps only the file's first bytes.
func BenchmarkExportMillionUsersFromAFakeListUsersEndpoint(b *testing.B) {
	users := benchUsers()
	for _, rate := range []float64{0, 100} {
		name := "unthrottled"
		if rate > 0 {
			name = fmt.Sprintf("user_list-%.0f", rate)
		}
		b.Run(name, func(b *testing.B) { exportMillion(b, users, rate) })
	}
}

func exportMillion(b *testing.B, users int, rate float64) {
	var fake string
	listRate := rate
	if listRate == 0 {
		listRate = 1e6
	}
	h := bottest.New(b, &bottest.Options{
		CognitoVia: func(moto string) string {
			if fake == "" {
				fake = startFakeListUsers(b, users, moto)
			}
			return fake
		},
		SlackUploadHead: 4096, BulkProgressEvery: 10 * time.Second, WorkTimeout: 40 * time.Minute,
		DirectoryQuotas: quota.Quotas{UserList: listRate},
		Configure:       func(c *config.Config) { c.Quotas.UserList = listRate },
	})
	for i := range b.N {
		resetPeakRSS()
		start := time.Now()
		h.Command(bottest.Admin, "export --attributes email,name")
		ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
		err := h.Slack.Wait(ctx, func() bool { return len(h.Slack.Files()) > i })
		cancel()
		if err != nil {
			b.Fatalf("no export file: %v", err)
		}
		took := time.Since(start)
		f := h.Slack.Files()[i]
		if f.Lines != users+1 {
			b.Errorf("%d lines; want %d users and the header", f.Lines, users)
		}
		pages := float64((users + 59) / 60)
		b.ReportMetric(took.Seconds(), "export-s")
		b.ReportMetric(float64(users)/took.Seconds(), "users/s")
		msg := fmt.Sprintf("export of %d users from a fake ListUsers endpoint in another process: %s, %.0f users/s, %.1f MB CSV; peak RSS %s",
			users, took.Round(time.Millisecond), float64(users)/took.Seconds(), float64(f.Size)/1e6, peakRSS())
		if rate > 0 {
			bound := time.Duration(pages / rate * float64(time.Second))
			share := time.Duration(float64(bound) / 0.8)
			msg += fmt.Sprintf("; ListUsers bound at %.0f/s %s (%.2fx), at the export's 0.8 job share %s (%.2fx)",
				rate, bound.Round(time.Second), took.Seconds()/bound.Seconds(), share.Round(time.Second), took.Seconds()/share.Seconds())
		}
		b.Log(msg)
	}
}

// benchUsers is how many users the export benchmark generates: 1 000 000, or
// COGNITO_BOT_BENCH_USERS for a quick look.
func benchUsers() int {
	if n, err := strconv.Atoi(os.Getenv("COGNITO_BOT_BENCH_USERS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}
