package awsdir

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// lossyEndpoint answers the first attempt of every operation badly (per mode)
// and every later attempt with UserNotFoundException, as Cognito would after a
// first attempt that deleted the user.
type lossyEndpoint struct {
	mode string // "drop": close the connection unanswered; "hang": never answer; "throttle": TooManyRequests

	mu    sync.Mutex
	calls map[string]int
	stop  chan struct{}
	// hung is told of each request left unanswered in mode "hang".
	hung chan struct{}
}

func newLossyDirectory(t *testing.T, mode string, tweak func(*aws.Config)) (*Directory, *lossyEndpoint) {
	t.Helper()
	e := &lossyEndpoint{mode: mode, calls: map[string]int{}, stop: make(chan struct{}), hung: make(chan struct{}, 16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
		e.mu.Lock()
		e.calls[op]++
		e.calls[op+string(body)]++ // attempts of this very request
		n := e.calls[op+string(body)]
		e.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch {
		case op == "AdminGetUser" && strings.Contains(string(body), `"invitee"`):
			_, _ = io.WriteString(w, strings.Replace(confirmedUserJSON("invitee"), "CONFIRMED", "FORCE_CHANGE_PASSWORD", 1))
		case op == "AdminGetUser":
			_, _ = io.WriteString(w, confirmedUserJSON("bob"))
		case op == "DescribeUserPool":
			_, _ = io.WriteString(w, `{"UserPool":{"Id":"`+fakePool+`"}}`)
		case n > 1:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"__type":"UserNotFoundException","message":"User does not exist."}`)
		case e.mode == "drop":
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		case e.mode == "truncate": // a 200 whose body is cut off mid-way
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"User":{"Use`)
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		case e.mode == "hang":
			select {
			case e.hung <- struct{}{}:
			default:
			}
			select {
			case <-r.Context().Done():
			case <-e.stop:
			}
		case e.mode == "throttle":
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"__type":"TooManyRequestsException","message":"Rate exceeded"}`)
		}
	}))
	t.Cleanup(func() { close(e.stop); srv.Close() })
	cfg := aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			})
		},
	}
	if tweak != nil {
		tweak(&cfg)
	}
	return New(cfg, Options{}), e
}

func (e *lossyEndpoint) count(op string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls[op]
}

// mutations are every mutating call, with the operation whose first answer is
// lost.
func mutations(d *Directory) map[string]func(ctx context.Context) error {
	return map[string]func(ctx context.Context) error{
		"AdminDeleteUser":        func(ctx context.Context) error { return second(d.DeleteUser(ctx, fakePool, "bob")) },
		"AdminDisableUser":       func(ctx context.Context) error { return second(d.DisableUser(ctx, fakePool, "bob")) },
		"AdminEnableUser":        func(ctx context.Context) error { return second(d.EnableUser(ctx, fakePool, "bob")) },
		"AdminUserGlobalSignOut": func(ctx context.Context) error { return second(d.SignOut(ctx, fakePool, "bob")) },
		"AdminAddUserToGroup":    func(ctx context.Context) error { return second(d.AddToGroup(ctx, fakePool, "bob", "g")) },
		"AdminRemoveUserFromGroup": func(ctx context.Context) error {
			return second(d.RemoveFromGroup(ctx, fakePool, "bob", "g"))
		},
		"AdminUpdateUserAttributes": func(ctx context.Context) error {
			_, _, err := d.UpdateAttributes(ctx, fakePool, "bob", map[string]string{"nickname": "B"})
			return err
		},
		"AdminDeleteUserAttributes": func(ctx context.Context) error {
			return second(d.DeleteAttributes(ctx, fakePool, "bob", []string{"nickname"}))
		},
		"AdminCreateUser": func(ctx context.Context) error {
			_, _, err := d.CreateUser(ctx, fakePool, cognito.NewUser{Username: "bob", Email: "bob@example.com"})
			return err
		},
		"AdminSetUserPassword": func(ctx context.Context) error {
			return second(d.SetPassword(ctx, fakePool, "bob", goodPassword, true))
		},
		"AdminResetUserPassword": func(ctx context.Context) error { return second(d.ResetPassword(ctx, fakePool, "bob")) },
		"AdminCreateUser (RESEND)": func(ctx context.Context) error {
			return second(d.ResendInvitation(ctx, fakePool, "invitee"))
		},
	}
}

// TestOutcomeUnknownWhenFirstResponseIsLost: the connection is closed before
// any answer; the SDK retries and the retry says UserNotFound. The caller must
// hear "outcome unknown", not "no such user".
func TestOutcomeUnknownWhenFirstResponseIsLost(t *testing.T) {
	d, e := newLossyDirectory(t, "drop", nil)
	for op, call := range mutations(d) {
		err := call(testIntent())
		if !errors.Is(err, cognito.ErrOutcomeUnknown) || errors.Is(err, cognito.ErrUserNotFound) {
			t.Errorf("%s: got %v, want ErrOutcomeUnknown and not ErrUserNotFound", op, err)
		}
		if !strings.Contains(err.Error(), "outcome unknown — check the user") {
			t.Errorf("%s: message %q", op, err)
		}
	}
	if n := e.count("AdminDeleteUser"); n != 2 {
		t.Errorf("AdminDeleteUser attempts = %d, want 2 (the lost one and the retry)", n)
	}
	// Password calls make a single attempt: the lost answer is the outcome.
	if n := e.count("AdminSetUserPassword"); n != 1 {
		t.Errorf("AdminSetUserPassword attempts = %d, want 1", n)
	}
}

// TestOutcomeUnknownWhenASuccessIsCutOff: Cognito answered 200 but the body
// was lost mid-way (moto does this under load), so the SDK retried: the
// retry's answer (here "not found"; for a create, "already exists") must not
// be taken for the outcome of a call Cognito carried out.
func TestOutcomeUnknownWhenASuccessIsCutOff(t *testing.T) {
	d, e := newLossyDirectory(t, "truncate", nil)
	_, err := d.DeleteUser(testIntent(), fakePool, "bob")
	if !errors.Is(err, cognito.ErrOutcomeUnknown) || errors.Is(err, cognito.ErrUserNotFound) {
		t.Fatalf("got %v, want ErrOutcomeUnknown", err)
	}
	if n := e.count("AdminDeleteUser"); n < 1 {
		t.Fatalf("%d attempts", n)
	}
}

// TestOutcomeUnknownWhenFirstAttemptTimesOut: the first answer never comes and
// the HTTP client gives up; the retry answers UserNotFound.
func TestOutcomeUnknownWhenFirstAttemptTimesOut(t *testing.T) {
	d, e := newLossyDirectory(t, "hang", func(c *aws.Config) {
		c.HTTPClient = &impatientOnce{op: "AdminDeleteUser"}
	})
	_, err := d.DeleteUser(testIntent(), fakePool, "bob")
	if !errors.Is(err, cognito.ErrOutcomeUnknown) || errors.Is(err, cognito.ErrUserNotFound) {
		t.Fatalf("got %v, want ErrOutcomeUnknown", err)
	}
	if !strings.Contains(err.Error(), "a retry then answered") {
		t.Errorf("message does not mention the retry: %q", err)
	}
	if n := e.count("AdminDeleteUser"); n != 2 {
		t.Fatalf("%d attempts, want 2", n)
	}
}

// impatientOnce is an HTTP client that gives up on the first attempt of op
// 10 ms after it was sent, by the transport's own timeout (counted from when
// the request was written, so it never fires before the request is out), and
// waits for every other answer: the retry cannot time out on a slow machine.
type impatientOnce struct {
	op    string
	tried atomic.Bool
}

func (c *impatientOnce) Do(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.Header.Get("X-Amz-Target"), "."+c.op) && c.tried.CompareAndSwap(false, true) {
		tr := &http.Transport{ResponseHeaderTimeout: 10 * time.Millisecond}
		defer tr.CloseIdleConnections()
		return (&http.Client{Transport: tr}).Do(r)
	}
	return http.DefaultClient.Do(r)
}

// TestOutcomeUnknownWhenContextEndsInFlight: the context ends while the
// request is out (here cancelled once it has arrived, as a deadline passing
// would); there is no retry, and no answer to trust.
func TestOutcomeUnknownWhenContextEndsInFlight(t *testing.T) {
	d, e := newLossyDirectory(t, "hang", nil)
	ctx, cancel := context.WithCancel(testIntent())
	defer cancel()
	go func() {
		select {
		case <-e.hung:
			cancel()
		case <-ctx.Done():
		}
	}()
	_, err := d.DisableUser(ctx, fakePool, "bob")
	if !errors.Is(err, cognito.ErrOutcomeUnknown) {
		t.Fatalf("got %v, want ErrOutcomeUnknown", err)
	}
}

// A throttled first attempt was refused, not lost: the retry's answer stands.
func TestOutcomeKnownAfterThrottle(t *testing.T) {
	d, e := newLossyDirectory(t, "throttle", nil)
	_, err := d.DeleteUser(testIntent(), fakePool, "bob")
	if !errors.Is(err, cognito.ErrUserNotFound) || errors.Is(err, cognito.ErrOutcomeUnknown) {
		t.Fatalf("got %v, want ErrUserNotFound", err)
	}
	if n := e.count("AdminDeleteUser"); n != 2 {
		t.Fatalf("%d attempts, want 2", n)
	}
}

// A call that never left (context over while waiting for the rate limiter, or
// an endpoint refusing connections) has a known outcome: nothing happened.
func TestOutcomeKnownWhenNothingWasSent(t *testing.T) {
	d, _ := newLossyDirectory(t, "drop", nil)
	ctx, cancel := context.WithCancel(testIntent())
	cancel()
	if _, err := d.DeleteUser(ctx, fakePool, "bob"); !errors.Is(err, context.Canceled) || errors.Is(err, cognito.ErrOutcomeUnknown) {
		t.Errorf("cancelled before sending: got %v", err)
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	refused := New(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		})}, Options{})
	if _, err := refused.DeleteUser(testIntent(), fakePool, "bob"); err == nil || errors.Is(err, cognito.ErrOutcomeUnknown) {
		t.Errorf("connection refused: got %v, want a plain transport error", err)
	}
}
