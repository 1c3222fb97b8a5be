package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// fakeCognito answers every call from a script of (status, error type) pairs, in order.
func fakeCognito(t *testing.T, script ...[2]string) *httptest.Server {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		step := script[min(int(n.Add(1))-1, len(script)-1)]
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if step[1] == "" {
			_, _ = w.Write([]byte(`{"Username":"alice","Enabled":true}`))
			return
		}
		w.Header().Set("X-Amzn-ErrorType", step[1])
		w.WriteHeader(map[string]int{"429": 429, "400": 400}[step[0]])
		_, _ = w.Write([]byte(`{"__type":"` + step[1] + `","message":"scripted"}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func cognitoClient(m *Metrics, url string) *cip.Client {
	cfg := aws.Config{
		Region:       "eu-west-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint: aws.String(url),
		APIOptions:   m.CognitoAPIOptions(),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.RateLimiter = ratelimit.None
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			})
		},
	}
	return cip.NewFromConfig(cfg)
}

func TestCognitoCallsAreCountedByOperationAndFinalResult(t *testing.T) {
	m := New()
	// Throttled twice, then served: one call, ok, two throttled attempts.
	srv := fakeCognito(t, [2]string{"429", "TooManyRequestsException"}, [2]string{"429", "TooManyRequestsException"}, [2]string{"200", ""})
	c := cognitoClient(m, srv.URL)
	in := &cip.AdminGetUserInput{UserPoolId: aws.String("eu-west-1_abc"), Username: aws.String("alice")}
	if _, err := c.AdminGetUser(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(m.cognitoCalls.WithLabelValues("AdminGetUser", "ok")); got != 1 {
		t.Errorf("AdminGetUser ok calls = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.throttles.WithLabelValues("AdminGetUser")); got != 2 {
		t.Errorf("throttled attempts = %v, want 2", got)
	}

	srv2 := fakeCognito(t, [2]string{"400", "UserNotFoundException"})
	if _, err := cognitoClient(m, srv2.URL).AdminDisableUser(context.Background(), &cip.AdminDisableUserInput{
		UserPoolId: aws.String("eu-west-1_abc"), Username: aws.String("ghost")}); err == nil {
		t.Fatal("the scripted error did not surface")
	}
	if got := testutil.ToFloat64(m.cognitoCalls.WithLabelValues("AdminDisableUser", "UserNotFoundException")); got != 1 {
		t.Errorf("AdminDisableUser UserNotFoundException = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.throttles.WithLabelValues("AdminDisableUser")); got != 0 {
		t.Errorf("a not-found error counted as a throttle: %v", got)
	}
}
