package bottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Throttle is a reverse proxy in front of moto that answers every Nth Cognito
// request itself, instead of forwarding it, with TooManyRequestsException or
// (Options.CognitoErrors) an InternalErrorException 500, exactly as Cognito's
// awsJson1.1 protocol shapes them. Counting requests, rather than drawing at
// random, keeps the tests that use it deterministic. It also counts the
// requests it forwarded per operation and user, so a test can tell that a
// change reached Cognito exactly once.
type Throttle struct {
	every             int64
	internal          bool
	requests, refused atomic.Int64
	srv               *httptest.Server

	mu        sync.Mutex
	forwarded map[string]int // "Operation Username"
	times     map[string][]time.Time
}

// newThrottle proxies to target and refuses a fraction of the requests: every
// round(1/fraction)-th one, as a 500 when internal, else as a throttle; with
// fraction 0 it refuses none and only counts.
func newThrottle(t testing.TB, target string, fraction float64, internal bool) *Throttle {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("moto endpoint %q: %v", target, err)
	}
	th := &Throttle{internal: internal, forwarded: map[string]int{}, times: map[string][]time.Time{}}
	if fraction > 0 {
		th.every = max(int64(math.Round(1/fraction)), 1)
	}
	forward := httputil.NewSingleHostReverseProxy(u)
	th.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := th.requests.Add(1)
		if th.every == 0 || n%th.every != 0 {
			th.count(r)
			forward.ServeHTTP(w, r)
			return
		}
		th.refused.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		code, status := "TooManyRequestsException", http.StatusBadRequest
		if th.internal {
			code, status = "InternalErrorException", http.StatusInternalServerError
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("x-amzn-ErrorType", code)
		w.Header().Set("x-amzn-RequestId", fmt.Sprintf("refused-%d", n))
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"__type":%q,"message":"Refused by the test proxy"}`, code)
	}))
	t.Cleanup(th.srv.Close)
	return th
}

// count notes a forwarded request by its operation and the user it names,
// leaving its body for the forward.
func (th *Throttle) count(r *http.Request) {
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return
	}
	var in struct{ Username string }
	_ = json.Unmarshal(body, &in)
	op := r.Header.Get("X-Amz-Target")
	op = op[strings.LastIndexByte(op, '.')+1:]
	th.mu.Lock()
	th.forwarded[op+" "+in.Username]++
	th.times[op] = append(th.times[op], time.Now())
	th.mu.Unlock()
}

// URL is the proxy's endpoint.
func (th *Throttle) URL() string { return th.srv.URL }

// Requests is how many Cognito requests reached the proxy.
func (th *Throttle) Requests() int { return int(th.requests.Load()) }

// Refused is how many of them the proxy answered itself.
func (th *Throttle) Refused() int { return int(th.refused.Load()) }

// Forwarded is how many op requests (the X-Amz-Target suffix, such as
// "AdminDisableUser") naming username the proxy passed on to moto.
func (th *Throttle) Forwarded(op, username string) int {
	th.mu.Lock()
	defer th.mu.Unlock()
	return th.forwarded[op+" "+username]
}

// Times is when each op request the proxy passed on to moto arrived, in order,
// for benchmarks that count calls per second.
func (th *Throttle) Times(op string) []time.Time {
	th.mu.Lock()
	defer th.mu.Unlock()
	return append([]time.Time(nil), th.times[op]...)
}
