package bottest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/gorilla/websocket"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/cognito/quota"
)

// errReplicaStopped is what a stopped replica's requests fail with.
var errReplicaStopped = errors.New("bottest: this replica was stopped")

// replica is the network of one bot of the harness: every request it makes to
// Cognito (on the wire backend), DynamoDB and Slack, and its Socket Mode
// connection, go through here, so StopReplica can cut them all at one instant.
type replica struct {
	// budget is the replica's part of a shared Cognito budget (Options.SharedBudget), or nil.
	budget quota.Budget
	// calls, when set, is told of each AWS request (Options.AWSCalls).
	calls func(AWSCall)

	mu    sync.Mutex
	cut   bool
	conns []net.Conn
}

func (r *replica) stopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cut
}

// stop refuses every request from now on and closes the open sockets.
func (r *replica) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cut = true
	for _, c := range r.conns {
		_ = c.Close()
	}
	r.conns = nil
}

// doer is the HTTP client shape both the AWS SDK and slack-go take.
type doer interface {
	Do(*http.Request) (*http.Response, error)
}

// cuttable fails every request started after the stop; one already sent runs
// to its end, as a request on the wire does when its sender dies.
type cuttable struct {
	r    *replica
	next doer
}

func (c cuttable) Do(req *http.Request) (*http.Response, error) {
	if c.r.stopped() {
		return nil, errReplicaStopped
	}
	return c.next.Do(req)
}

// awsClient wraps an SDK client's HTTP client (the SDK's default when nil).
func (r *replica) awsClient(next doer) cuttable {
	if next == nil {
		next = awshttp.NewBuildableClient()
	}
	if r.calls != nil {
		next = timed{next: next, report: r.calls}
	}
	return cuttable{r: r, next: next}
}

// timed reports each request's operation and time (Options.AWSCalls).
type timed struct {
	next   doer
	report func(AWSCall)
}

func (t timed) Do(req *http.Request) (*http.Response, error) {
	call := AWSCall{Operation: req.Header.Get("X-Amz-Target"), Start: time.Now()}
	resp, err := t.next.Do(req)
	if err != nil {
		return resp, err
	}
	// The call ends when the SDK has read the answer and closes it.
	resp.Body = &timedBody{ReadCloser: resp.Body, done: func() {
		call.Took = time.Since(call.Start)
		t.report(call)
	}}
	return resp, nil
}

type timedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

// dialer opens the replica's Socket Mode connections and remembers them, so
// stop can close them without a close frame, like a process that died.
func (r *replica) dialer() *websocket.Dialer {
	return &websocket.Dialer{
		HandshakeTimeout: 10 * time.Second,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if r.stopped() {
				return nil, errReplicaStopped
			}
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			if r.cut {
				_ = c.Close()
				return nil, errReplicaStopped
			}
			r.conns = append(r.conns, c)
			return c, nil
		},
	}
}

// silenceOnStop drops the replica's log lines once it is stopped: a process
// that died writes none, and the retries of a cut-off one would bury the
// test's own output.
func silenceOnStop(r *replica) zap.Option {
	return zap.WrapCore(func(c zapcore.Core) zapcore.Core { return silenced{c, r} })
}

type silenced struct {
	zapcore.Core
	r *replica
}

func (s silenced) With(fields []zapcore.Field) zapcore.Core {
	return silenced{s.Core.With(fields), s.r}
}

func (s silenced) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if s.r.stopped() {
		return ce
	}
	return s.Core.Check(e, ce)
}

// ReplicaName is how replica i names itself in bulk job leases (audit.Job.Owner).
func ReplicaName(i int) string { return fmt.Sprintf("replica-%d", i) }

// ReplicaOf is the index of the replica named owner by ReplicaName, or -1.
func ReplicaOf(owner string) int {
	n, ok := strings.CutPrefix(owner, "replica-")
	i, err := strconv.Atoi(n)
	if !ok || err != nil {
		return -1
	}
	return i
}

// StopReplica stops replica i abruptly, as if its process died: from this
// instant none of its requests to Cognito, DynamoDB or Slack leave it, its
// Socket Mode connection is closed and it logs nothing more, so it takes no
// more work, renews no job lease and can neither settle a target nor finish a
// job; the other replicas go on. Requests it had already sent complete, as
// they would on the wire. An audit intent it had written stays open; whoever
// takes its work over closes it as "outcome unknown" (the Cognito call may or
// may not have been sent). Its goroutines end with the test. The in-memory
// backend has no network to cut, so StopReplica needs Options.Wire.
func (h *Harness) StopReplica(i int) {
	h.T.Helper()
	if !h.wire {
		h.T.Fatal("StopReplica needs Options.Wire: only DynamoDB Local can be cut off from one replica")
	}
	if i < 0 || i >= len(h.replicas) {
		h.T.Fatalf("no replica %d (there are %d)", i, len(h.replicas))
	}
	h.replicas[i].stop()
}

// Job reads a bulk job from the state store.
func (h *Harness) Job(id string) audit.Job {
	h.T.Helper()
	jobs, ok := h.State.(bulk.Store)
	if !ok {
		h.T.Fatal("the state store keeps no bulk jobs")
	}
	ctx, cancel := h.Timeout()
	defer cancel()
	j, err := jobs.GetJob(ctx, id)
	if err != nil {
		h.T.Fatalf("reading job %s: %v", id, err)
	}
	return j
}

// BudgetPart is replica i's part of the shared Cognito budget now
// (Options.SharedBudget), or 1 when it shares none.
func (h *Harness) BudgetPart(i int) float64 {
	if i < 0 || i >= len(h.replicas) || h.replicas[i].budget == nil {
		return 1
	}
	return h.replicas[i].budget.Fraction()
}
