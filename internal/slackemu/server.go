package slackemu

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/internal/slackemu/socket"
	"github.com/cognito-bot/cognito-bot/internal/slackemu/webapi"
)

// ErrClosed is returned by waits and injections once the Server is closed, so a
// test blocked on the emulator fails fast instead of hanging until its deadline.
var ErrClosed = socket.ErrClosed

// Options configures a Server. Every zero value has a default that mirrors
// Slack, so tests only set what they exercise.
type Options struct {
	// AppToken is the app-level token ("xapp-…") apps.connections.open accepts.
	AppToken string
	// BotToken is the bot token ("xoxb-…") every other Web API method accepts.
	BotToken string
	// TeamID, TeamDomain, AppID, BotUserID and BotID identify the workspace and
	// the app in payloads and responses.
	TeamID, TeamDomain, AppID, BotUserID, BotID string
	// PingInterval is how often each socket gets a WebSocket PING (default 5 s).
	// slack-go reconnects when it sees none for its own interval (30 s default).
	PingInterval time.Duration
	// AckTimeout is Slack's ack deadline (default 3 s). A later ack is recorded
	// with Late set and its payload is ignored, as Slack does, and a slash
	// command's user gets Slackbot's "operation_timeout" error message.
	// Negative disables both.
	AckTimeout time.Duration
	// TriggerTTL is how long a trigger_id can be exchanged (default 3 s).
	TriggerTTL time.Duration
	// ResponseURLTTL and ResponseURLUses bound each response_url
	// (default 30 min and 5 uses).
	ResponseURLTTL  time.Duration
	ResponseURLUses int
	// DisconnectGrace is how long a socket may stay open after a disconnect
	// frame before the emulator closes it (default 10 s, Slack's "warning" delay).
	DisconnectGrace time.Duration
	// MaxConnections caps simultaneous sockets (default 10); extra sockets get
	// a too_many_websockets disconnect frame and are closed.
	MaxConnections int
	// UploadHead, when above 0, keeps only the first UploadHead bytes of each
	// uploaded file (File.Size and File.Lines still count all of it), so a
	// benchmark's huge upload does not weigh on the process it runs in.
	UploadHead int
	// Addr, if set, is the TCP address to listen on (e.g. "127.0.0.1:3333");
	// otherwise a free loopback port is used.
	Addr string
	// Now is the clock for trigger and response_url expiry, so tests can expire
	// them without sleeping. Default time.Now. Ack latency always uses real time.
	Now func() time.Time
	// Logf receives one line per notable event (connections, refusals). Default: silent.
	Logf func(format string, args ...any)
}

func (o *Options) setDefaults() {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.AppToken, "xapp-1-A0EMULATOR-1-emulator")
	def(&o.BotToken, "xoxb-emulator-bot-token")
	def(&o.TeamID, "T0EMULATOR")
	def(&o.TeamDomain, "emulator")
	def(&o.AppID, "A0EMULATOR")
	def(&o.BotUserID, "U0BOT")
	def(&o.BotID, "B0BOT")
	if o.PingInterval <= 0 {
		o.PingInterval = 5 * time.Second
	}
	if o.AckTimeout == 0 {
		o.AckTimeout = 3 * time.Second
	}
	if o.TriggerTTL <= 0 {
		o.TriggerTTL = 3 * time.Second
	}
	if o.ResponseURLTTL <= 0 {
		o.ResponseURLTTL = 30 * time.Minute
	}
	if o.ResponseURLUses <= 0 {
		o.ResponseURLUses = 5
	}
	if o.DisconnectGrace <= 0 {
		o.DisconnectGrace = 10 * time.Second
	}
	if o.MaxConnections <= 0 {
		o.MaxConnections = 10
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
}

// Server is a running emulator. All methods are safe for concurrent use.
type Server struct {
	opts Options
	http *httptest.Server
	base string
	// hub is the Socket Mode transport, api the Web API plumbing; both share mu.
	hub *socket.Hub
	api *webapi.API

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every state change
	closed   bool
	seq      int
	lastTS   int64
	triggers map[string]*trigger

	storeState
	webState
}

// New starts an emulator on a loopback port. Call Close when done.
func New(opts Options) *Server {
	opts.setDefaults()
	s := &Server{opts: opts, changed: make(chan struct{}), triggers: map[string]*trigger{}}
	s.hub, s.api = s.newHub(), s.newAPI()
	s.initStore()
	s.initWeb()

	mux := http.NewServeMux()
	mux.Handle("/api/", s.api)
	mux.HandleFunc("/link/", s.hub.ServeLink)
	mux.HandleFunc("/commands/", s.serveResponseURL)
	mux.HandleFunc("/actions/", s.serveResponseURL)
	mux.HandleFunc("/views/", s.serveResponseURL)
	mux.HandleFunc("/upload/", s.serveUpload)
	mux.HandleFunc("/files/", s.serveFile)

	s.http = httptest.NewUnstartedServer(mux)
	if opts.Addr != "" {
		l, err := net.Listen("tcp", opts.Addr)
		if err != nil {
			panic("slackemu: listening on " + opts.Addr + ": " + err.Error())
		}
		s.http.Listener.Close()
		s.http.Listener = l
	}
	s.http.Start()
	s.base = s.http.URL
	return s
}

// Close disconnects every socket, stops the HTTP server and waits for all of
// the emulator's goroutines to end.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.hub.CloseLocked()
	s.notifyLocked()
	s.mu.Unlock()

	s.hub.Shutdown()
	s.http.CloseClientConnections()
	s.http.Close()
	s.hub.Wait()
}

// APIURL is the value for slack.OptionAPIURL: "http://127.0.0.1:PORT/api/",
// trailing slash included (slack-go concatenates the method name to it).
func (s *Server) APIURL() string { return s.base + "/api/" }

// BaseURL is the emulator's root URL, "http://127.0.0.1:PORT".
func (s *Server) BaseURL() string { return s.base }

// AppToken is the app-level token the emulator accepts.
func (s *Server) AppToken() string { return s.opts.AppToken }

// BotToken is the bot token the emulator accepts.
func (s *Server) BotToken() string { return s.opts.BotToken }

// TeamID is the workspace ID used in payloads.
func (s *Server) TeamID() string { return s.opts.TeamID }

// BotUserID is the bot's user ID, the author of its messages.
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// SlackClient returns a slack.Client wired to this emulator with both tokens,
// ready to pass to socketmode.New.
func (s *Server) SlackClient(extra ...slack.Option) *slack.Client {
	opts := append([]slack.Option{
		slack.OptionAppLevelToken(s.opts.AppToken),
		slack.OptionAPIURL(s.APIURL()),
	}, extra...)
	return slack.New(s.opts.BotToken, opts...)
}

// Wait blocks until cond reports true, re-evaluating it after every change to
// the emulator's state (connections, deliveries, acks, messages, views, calls).
// cond runs without the emulator's lock held, so it may call any method.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch, closed := s.changed, s.closed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		if closed {
			return ErrClosed
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// notifyLocked wakes every Wait. Callers hold s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) now() time.Time { return s.opts.Now() }

func (s *Server) logf(format string, args ...any) { s.opts.Logf("slackemu: "+format, args...) }

// wsURL turns the HTTP base into the ws:// base used for socket links.
func (s *Server) wsURL() string { return "ws" + strings.TrimPrefix(s.base, "http") }
