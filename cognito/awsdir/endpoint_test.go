package awsdir

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognito-bot/cognito-bot/cognito"
)

// fakeEndpoint is an httptest Cognito endpoint for what moto cannot produce
// (throttling, LimitExceeded, CodeDeliveryFailure, HTML 500 gaps). Each
// operation answers with a canned status and body; unknown operations get
// moto's HTML 500. It counts attempts per operation.
type fakeEndpoint struct {
	mu      sync.Mutex
	answers map[string]fakeAnswer
	calls   map[string]int
	url     string
}

type fakeAnswer struct {
	status int
	body   string
}

const htmlPage = "<!doctype html><html><title>500 Internal Server Error</title></html>"

func throttled() fakeAnswer {
	return fakeAnswer{400, `{"__type":"TooManyRequestsException","message":"Rate exceeded"}`}
}

func apiError(code, msg string) fakeAnswer {
	return fakeAnswer{400, fmt.Sprintf(`{"__type":%q,"message":%q}`, code, msg)}
}

func confirmedUserJSON(name string) string {
	return `{"Username":"` + name + `","Enabled":true,"UserStatus":"CONFIRMED","UserAttributes":[` +
		`{"Name":"sub","Value":"11111111-2222-3333-4444-555555555555"},` +
		`{"Name":"email","Value":"` + name + `@example.com"},{"Name":"email_verified","Value":"true"}]}`
}

// newFakeDirectory serves answers and returns a Directory built with New whose
// SDK retryer has no backoff, so attempt counts are exact and tests are fast.
func newFakeDirectory(t *testing.T, answers map[string]fakeAnswer, tweaks ...func(*aws.Config)) (*Directory, *fakeEndpoint) {
	t.Helper()
	return newFakeDirectoryWith(t, answers, Options{}, nil, tweaks...)
}

// newFakeDirectoryWith is newFakeDirectory with options and, when c is not
// nil, the limiters on c's fake time.
func newFakeDirectoryWith(t *testing.T, answers map[string]fakeAnswer, opts Options, c *fakeClock, tweaks ...func(*aws.Config)) (*Directory, *fakeEndpoint) {
	t.Helper()
	f := &fakeEndpoint{answers: answers, calls: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
		f.mu.Lock()
		f.calls[op]++
		n := f.calls[op]
		a, ok := f.answers[op]
		f.mu.Unlock()
		if !ok {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, htmlPage)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("req-%s-%d", op, n))
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
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
	for _, tw := range tweaks {
		tw(&cfg)
	}
	var clk *clock
	if c != nil {
		clk = c.clock()
	}
	return newDirectory(sdkClients(cfg), opts, clk), f
}

func (f *fakeEndpoint) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

const fakePool = "us-east-1_Fake1"

func TestEndpointThrottledAfterRetries(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{"AdminDisableUser": throttled()})
	_, err := d.DisableUser(testIntent(), fakePool, "bob")
	if !errors.Is(err, cognito.ErrThrottled) {
		t.Fatalf("got %v, want ErrThrottled", err)
	}
	var tm *types.TooManyRequestsException
	if !errors.As(err, &tm) {
		t.Fatalf("typed SDK error lost: %v", err)
	}
	if n := f.count("AdminDisableUser"); n != 3 {
		t.Fatalf("%d attempts, want the SDK's 3", n)
	}
	if got := cognito.RequestID(err); got != "req-AdminDisableUser-3" {
		t.Fatalf("RequestID = %q", got)
	}
	if !strings.HasPrefix(err.Error(), `disabling user "bob": throttled by cognito: `) {
		t.Fatalf("message %q", err)
	}
}

func TestEndpointLimitExceededOnResetIsAttemptedOnce(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{
		"AdminGetUser":           {200, confirmedUserJSON("bob")},
		"DescribeUserPool":       {200, `{"UserPool":{"Id":"` + fakePool + `"}}`},
		"AdminResetUserPassword": apiError("LimitExceededException", "Attempt limit exceeded, please try after some time."),
	})
	_, err := d.ResetPassword(testIntent(), fakePool, "bob")
	if !errors.Is(err, cognito.ErrLimitExceeded) {
		t.Fatalf("got %v, want ErrLimitExceeded", err)
	}
	if n := f.count("AdminResetUserPassword"); n != 1 {
		t.Fatalf("%d attempts, want exactly 1", n)
	}
}

// Password calls make one attempt even for a throttle the SDK would retry
// (RetryMaxAttempts=1 per call, independent of the retryer tweak).
func TestEndpointSetPasswordIsAttemptedOnce(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{"AdminSetUserPassword": throttled()})
	_, err := d.SetPassword(testIntent(), fakePool, "bob", "Passw0rd!OK", true)
	if !errors.Is(err, cognito.ErrThrottled) {
		t.Fatalf("got %v, want ErrThrottled", err)
	}
	if n := f.count("AdminSetUserPassword"); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

// LimitExceeded from an operation that does not model it arrives as a
// GenericAPIError: it is still mapped, and still not retried.
func TestEndpointUnmodelledLimitExceeded(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{
		"AdminGetUser": apiError("LimitExceededException", "limit"),
	})
	_, err := d.GetUser(testIntent(), fakePool, "bob")
	if !errors.Is(err, cognito.ErrLimitExceeded) {
		t.Fatalf("got %v, want ErrLimitExceeded", err)
	}
	var typed *types.LimitExceededException
	var generic *smithy.GenericAPIError
	if errors.As(err, &typed) || !errors.As(err, &generic) {
		t.Fatalf("expected an untyped GenericAPIError in %v", err)
	}
	if n := f.count("AdminGetUser"); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

// With the retry count raised in aws.Config, throttles get the extra attempts
// and LimitExceeded still gets one.
func TestEndpointConfiguredRetriesKeepLimitExceededOut(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{
		"AdminGetUser":     apiError("LimitExceededException", "limit"),
		"AdminDisableUser": throttled(),
	}, func(c *aws.Config) { c.RetryMaxAttempts = 5 })
	ctx := testIntent()
	if _, err := d.GetUser(ctx, fakePool, "bob"); !errors.Is(err, cognito.ErrLimitExceeded) || f.count("AdminGetUser") != 1 {
		t.Fatalf("LimitExceeded: %v after %d attempts, want 1", err, f.count("AdminGetUser"))
	}
	if _, err := d.DisableUser(ctx, fakePool, "bob"); !errors.Is(err, cognito.ErrThrottled) || f.count("AdminDisableUser") != 5 {
		t.Fatalf("throttle: %v after %d attempts, want 5", err, f.count("AdminDisableUser"))
	}
}

func TestEndpointUnsupportedOperationIsNotRetried(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{}) // every operation: HTML 500
	_, err := d.SignOut(testIntent(), fakePool, "bob")
	if !errors.Is(err, cognito.ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
	if n := f.count("AdminUserGlobalSignOut"); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

func TestEndpointJSONServerErrorIsRetried(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{
		"AdminEnableUser": {500, `{"__type":"InternalErrorException","message":"oops"}`},
	})
	_, err := d.EnableUser(testIntent(), fakePool, "bob")
	var ie *types.InternalErrorException
	if !errors.As(err, &ie) || errors.Is(err, cognito.ErrUnsupported) {
		t.Fatalf("got %v, want a plain InternalErrorException", err)
	}
	if n := f.count("AdminEnableUser"); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
}

func TestEndpointCodeDeliveryFailureAfterCreate(t *testing.T) {
	d, f := newFakeDirectory(t, map[string]fakeAnswer{
		"AdminCreateUser": apiError("CodeDeliveryFailureException", "Unable to deliver message"),
		"AdminGetUser":    {200, strings.Replace(confirmedUserJSON("carol"), "CONFIRMED", "FORCE_CHANGE_PASSWORD", 1)},
	})
	u, res, err := d.CreateUser(testIntent(), fakePool, cognito.NewUser{Username: "carol", Email: "carol@example.com"})
	if !errors.Is(err, cognito.ErrCodeDelivery) {
		t.Fatalf("got %v, want ErrCodeDelivery", err)
	}
	if u == nil || u.Username != "carol" || u.Status != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("user = %+v, want the re-read user", u)
	}
	if res.RequestID != "req-AdminCreateUser-1" || f.count("AdminCreateUser") != 1 {
		t.Fatalf("Result %+v after %d creates", res, f.count("AdminCreateUser"))
	}
}

func TestEndpointCodeDeliveryFailureWithoutUser(t *testing.T) {
	d, _ := newFakeDirectory(t, map[string]fakeAnswer{
		"AdminCreateUser": apiError("CodeDeliveryFailureException", "Unable to deliver message"),
		"AdminGetUser":    apiError("UserNotFoundException", "User does not exist."),
	})
	u, _, err := d.CreateUser(testIntent(), fakePool, cognito.NewUser{Username: "dan", Email: "dan@example.com"})
	if u != nil || !errors.Is(err, cognito.ErrCodeDelivery) || !errors.Is(err, cognito.ErrUserNotFound) {
		t.Fatalf("got %+v, %v; want no user, ErrCodeDelivery and ErrUserNotFound", u, err)
	}
}

func TestEndpointMappings(t *testing.T) {
	d, _ := newFakeDirectory(t, map[string]fakeAnswer{
		"AdminCreateUser":           apiError("UnsupportedUserStateException", "User is not in FORCE_CHANGE_PASSWORD"),
		"AdminGetUser":              {200, strings.Replace(confirmedUserJSON("erin"), "CONFIRMED", "FORCE_CHANGE_PASSWORD", 1)},
		"AdminUpdateUserAttributes": apiError("AliasExistsException", "An account with the given email already exists."),
		"DescribeUserPool":          {200, `{"UserPool":{"Id":"` + fakePool + `"}}`},
		"AdminDisableUser":          apiError("ResourceNotFoundException", "User pool "+fakePool+" does not exist."),
		"AdminAddUserToGroup":       apiError("ResourceNotFoundException", "Group not found."),
	})
	ctx := testIntent()
	if _, err := d.ResendInvitation(ctx, fakePool, "erin"); !errors.Is(err, cognito.ErrUnsupportedState) {
		t.Errorf("resend: got %v, want ErrUnsupportedState", err)
	}
	if _, _, err := d.UpdateAttributes(ctx, fakePool, "erin", map[string]string{"email": "taken@example.com"}); !errors.Is(err, cognito.ErrAliasExists) {
		t.Errorf("update: got %v, want ErrAliasExists", err)
	}
	if _, err := d.DisableUser(ctx, fakePool, "erin"); !errors.Is(err, cognito.ErrPoolNotFound) {
		t.Errorf("disable: got %v, want ErrPoolNotFound", err)
	}
	if _, err := d.AddToGroup(ctx, fakePool, "erin", "nope"); !errors.Is(err, cognito.ErrGroupNotFound) {
		t.Errorf("add to group: got %v, want ErrGroupNotFound", err)
	}
}

func TestEndpointResultRequestID(t *testing.T) {
	d, _ := newFakeDirectory(t, map[string]fakeAnswer{"AdminDeleteUser": {200, `{}`}})
	res, err := d.DeleteUser(testIntent(), fakePool, "bob")
	if err != nil || res.RequestID != "req-AdminDeleteUser-1" {
		t.Fatalf("DeleteUser = %+v, %v", res, err)
	}
}
