package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
	"github.com/cognito-bot/cognito-bot/internal/slackemu"
)

// Backend is what the bot manages in the sandbox: a user directory and an audit
// log and state store, in memory or on emulated AWS endpoints.
type Backend struct {
	Users pipeline.Directory
	Audit pipeline.AuditLog
	State bot.StateStore
	// PoolID replaces the pool id of ConfigYAML when the directory minted its own.
	PoolID string
	// Description completes "the bot runs against an embedded Slack emulator
	// and …" on the page and in the startup message.
	Description string
	// People are the seeded users, for the page's "try these" list.
	People []Person
}

// sandboxTeam is the emulated workspace, the only one the sandbox's policy serves.
const sandboxTeam = "T0SANDBOX"

// Options configure a sandbox.
type Options struct {
	// Listen is the page's address (default 127.0.0.1:8080; ":0" picks a port).
	Listen  string
	Backend Backend
	// Logger receives the bot's and the sandbox's logs; nil means none.
	Logger *zap.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// SweepInterval is how often the bot closes expired requests (default the bot's).
	SweepInterval time.Duration
}

// Sandbox is a running bot, emulator and page.
type Sandbox struct {
	emu    *slackemu.Server
	cfg    *config.Config
	yaml   string
	back   Backend
	feed   recentLog
	now    func() time.Time
	log    *zap.Logger
	http   *http.Server
	url    string
	cancel context.CancelFunc
	done   sync.WaitGroup
	botErr error
}

// Start runs the real bot against an embedded Slack emulator and serves the
// page. It returns once the bot is connected and the page is listening; Close
// stops everything.
func Start(ctx context.Context, opts Options) (*Sandbox, error) {
	if opts.Backend.Users == nil || opts.Backend.Audit == nil || opts.Backend.State == nil {
		return nil, errors.New("sandbox: the backend needs Users, Audit and State")
	}
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:8080"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	l, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w (pass --listen HOST:PORT to use another address)", opts.Listen, err)
	}
	emu := slackemu.New(slackemu.Options{TeamID: sandboxTeam, TeamDomain: "sandbox"})
	cfg, text, err := LoadConfig(opts.Backend.PoolID, emu.APIURL(), emu.AppToken(), emu.BotToken())
	if err != nil {
		emu.Close()
		l.Close()
		return nil, err
	}
	for _, p := range Personas {
		// A Slack time zone too, so `disable <user> --at "YYYY-MM-DD HH:MM"`
		// reads the time as Slack would for them.
		emu.SetUser(slack.User{ID: p.ID, Name: p.Name, RealName: p.RealName, TZ: "Europe/London",
			Profile: slack.UserProfile{RealName: p.RealName, RealNameNormalized: p.RealName,
				DisplayName: p.Name, DisplayNameNormalized: p.Name}})
	}
	emu.SetChannelName(ChannelSupport, "support")
	emu.SetChannelName(ChannelApprovals, "approvals")

	s := &Sandbox{emu: emu, cfg: cfg, yaml: text, back: opts.Backend, now: opts.Now, log: opts.Logger}
	// The audit panel reads the log itself when it can list recent entries (the
	// in-memory log); DynamoDB cannot, so then a tap keeps what the bot writes.
	auditLog := opts.Backend.Audit
	if r, ok := auditLog.(recentLog); ok {
		s.feed = r
	} else {
		tap := newAuditTap(auditLog, 200, opts.Now)
		s.feed, auditLog = tap, tap
	}
	api := emu.SlackClient()
	client := socketmode.New(api)
	groups := rbac.NewCachedGroups(func(ctx context.Context, id string) ([]string, error) {
		return api.GetUserGroupMembersContext(ctx, id)
	}, cfg.Slack.GroupRefresh.Std())
	b, err := bot.New(bot.Config{
		Settings: cfg, Users: opts.Backend.Users, Audit: auditLog, State: opts.Backend.State,
		Policy: rbac.New(cfg, groups, policy.WithTeams(sandboxTeam)), Slack: client, Logger: opts.Logger.Named("bot"),
		Now: opts.Now, SweepInterval: opts.SweepInterval,
	})
	if err != nil {
		emu.Close()
		l.Close()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		if err := b.Run(runCtx, client); err != nil && runCtx.Err() == nil {
			s.botErr = err
			opts.Logger.Error("the sandbox bot stopped", zap.Error(err))
		}
	}()
	if err := emu.WaitConnections(ctx, 1); err != nil {
		s.Close()
		l.Close()
		return nil, fmt.Errorf("the bot did not connect to the embedded Slack: %w", err)
	}
	listenHost, _, _ := net.SplitHostPort(opts.Listen)
	s.http = &http.Server{Handler: sameOriginOnly(l.Addr(), listenHost, s.routes()), ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + l.Addr().String()
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		if err := s.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			opts.Logger.Error("the sandbox page stopped", zap.Error(err))
		}
	}()
	return s, nil
}

// URL is the page's address, e.g. http://127.0.0.1:8080.
func (s *Sandbox) URL() string { return s.url }

// Close stops the page, the bot and the emulator, and waits for them.
func (s *Sandbox) Close() {
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.http.Shutdown(ctx)
		cancel()
	}
	s.cancel()
	s.emu.Close()
	s.done.Wait()
}
