package transport

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/views"
)

// Handler is what the bot does with each envelope once it is acked and its
// turn has come. Transport knows nothing else of the bot: commands, clicks,
// forms and the Home tab each arrive here as a Request.
type Handler interface {
	// Command runs one slash command; text is what followed the command name.
	Command(ctx context.Context, req *Request, text string)
	// Click routes one button or menu choice.
	Click(ctx context.Context, req *Request, act *slack.BlockAction)
	// ReadForm checks a submitted modal before the ack, so its problems
	// (block_id → sentence) show in place in the modal and nothing is queued.
	// Resume carries on with what it read once the submission's turn has
	// come; it is nil for a form the handler does not know.
	ReadForm(view *slack.View) (resume Resume, problems map[string]string)
	// Submission continues the request behind a submitted modal whose
	// ReadForm found no problem.
	Submission(ctx context.Context, req *Request, sub Submission)
	// HomeOpened rebuilds the person's Home tab.
	HomeOpened(ctx context.Context, req *Request)
	// Answer tells req's person something whatever became of its own
	// context: that it was turned away, dropped, or ended in an internal error.
	Answer(req *Request, m views.Message)
}

// Submission is a modal's answers, read before the ack.
type Submission struct {
	CallbackID string
	// Meta is the view's private_metadata, an opaque session id.
	Meta string
	// Resume is what Handler.ReadForm returned: the rest of the request,
	// holding what was read with its own type. Transport only carries it.
	Resume Resume
}

// Resume continues a submitted modal's request with what the handler's
// ReadForm read from it, after the ack, once its turn has come. It is a
// closure so that the form's value keeps its type from reader to handler.
type Resume func(ctx context.Context, req *Request)

// Observer is told what transport is doing, for metrics. Calls are made on
// the hot path (the event loop acks in between), so implementations must not
// block.
type Observer interface {
	EnvelopeReceived(kind string)
	Acked(wait time.Duration)
	QueueDepth(n int)
	Turned(reason string)
	Heartbeat()
	Connected(up bool)
}

// HeartbeatInterval is how often the event loop calls Observer.Heartbeat.
const HeartbeatInterval = 5 * time.Second

// Config sets a Server up. Zero bounds are not defaulted here: the bot
// fills them in from its own Config.
type Config struct {
	Handler  Handler
	Observer Observer
	Logger   *zap.Logger
	Now      func() time.Time
	// WorkTimeout bounds the work done for one envelope, counted from its
	// arrival (or from its release from its person's queue).
	WorkTimeout time.Duration
	// ShutdownTimeout bounds how long Run waits for queued and in-flight work.
	ShutdownTimeout time.Duration
	// Workers handle envelopes at once; QueueSize envelopes may wait for them.
	Workers, QueueSize int
	// PerUserRate and PerUserBurst bound how fast one person's interactions
	// are taken on; past them up to PerUserQueue more wait in their own queue.
	PerUserRate  float64
	PerUserBurst int
	PerUserQueue int
}

// Server serves one Socket Mode connection: it acks, queues and drains; the
// Handler does the work.
type Server struct {
	h        Handler
	obs      Observer
	log      *zap.Logger
	now      func() time.Time
	timeout  time.Duration
	drainFor time.Duration
	queueCfg queueConfig
	inflight atomic.Int64
	// background counts the goroutines Run started (the socket, turned-away
	// replies); Run waits for them before it returns.
	background sync.WaitGroup
}

// New returns a server that hands envelopes to c.Handler.
func New(c Config) *Server {
	s := &Server{h: c.Handler, obs: c.Observer, log: c.Logger, now: c.Now, timeout: c.WorkTimeout, drainFor: c.ShutdownTimeout}
	if s.log == nil {
		s.log = zap.NewNop()
	}
	if s.obs == nil {
		s.obs = noObserver{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.queueCfg = queueConfig{workers: c.Workers, size: c.QueueSize, rate: c.PerUserRate, burst: c.PerUserBurst,
		perUser: c.PerUserQueue, now: s.now, dropped: s.dropQueued}
	return s
}

// noObserver is the default: metrics off.
type noObserver struct{}

func (noObserver) EnvelopeReceived(string) {}
func (noObserver) Acked(time.Duration)     {}
func (noObserver) QueueDepth(int)          {}
func (noObserver) Turned(string)           {}
func (noObserver) Heartbeat()              {}
func (noObserver) Connected(bool)          {}

// NewRef returns a short random reference that ties an "internal error" answer
// in Slack to the full log line.
func NewRef() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// RecoverPanic, deferred, turns a panic in work for req (a worker's job, a
// long check, an export) into an "internal error (ref X)" answer and a full
// log line instead of a crashed bot. It must be the deferred function itself
// (recover only works there).
func RecoverPanic(log *zap.Logger, req *Request, where string, answer func(*Request, views.Message)) {
	p := recover()
	if p == nil {
		return
	}
	ref := NewRef()
	log.Error("panic in "+where, zap.String("ref", ref), zap.Any("panic", p), zap.String("stack", string(debug.Stack())),
		zap.String("envelope_id", req.EnvelopeID), zap.String("slack_user_id", req.Actor.UserID))
	answer(req, views.Notice(fmt.Sprintf("Internal error (ref %s). Nothing more will happen for this request.", ref)))
}
