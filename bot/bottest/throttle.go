package bottest

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
)

// Throttle is a reverse proxy in front of moto that answers every Nth Cognito
// request itself with TooManyRequestsException, exactly as Cognito's
// awsJson1.1 protocol shapes it, instead of forwarding it. Counting requests,
// rather than drawing at random, keeps the tests that use it deterministic.
type Throttle struct {
	every             int64
	requests, refused atomic.Int64
	srv               *httptest.Server
}

// newThrottle proxies to target and refuses a fraction of the requests: every
// round(1/fraction)-th one.
func newThrottle(t testing.TB, target string, fraction float64) *Throttle {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("moto endpoint %q: %v", target, err)
	}
	th := &Throttle{every: max(int64(math.Round(1/fraction)), 1)}
	forward := httputil.NewSingleHostReverseProxy(u)
	th.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := th.requests.Add(1)
		if n%th.every != 0 {
			forward.ServeHTTP(w, r)
			return
		}
		th.refused.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("x-amzn-ErrorType", "TooManyRequestsException")
		w.Header().Set("x-amzn-RequestId", fmt.Sprintf("throttled-%d", n))
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"TooManyRequestsException","message":"Rate exceeded"}`)
	}))
	t.Cleanup(th.srv.Close)
	return th
}

// URL is the proxy's endpoint.
func (th *Throttle) URL() string { return th.srv.URL }

// Requests is how many Cognito requests reached the proxy.
func (th *Throttle) Requests() int { return int(th.requests.Load()) }

// Refused is how many of them the proxy answered with TooManyRequestsException.
func (th *Throttle) Refused() int { return int(th.refused.Load()) }
