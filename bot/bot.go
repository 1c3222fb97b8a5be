// Package bot is the Slack side of cognito-bot: it turns slash commands, button
// clicks and modal submissions into one action pipeline — identify the actor,
// authorize, confirm or approve when destructive, audit the intent, call Cognito,
// audit the outcome, answer in Slack — so that no path reaches Cognito around it.
package bot

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Config carries the bot's dependencies. Every field without a default is required,
// so a bot can never run without its audit log.
type Config struct {
	// Settings is the validated configuration (pools, roles, approvals, expiries).
	Settings *config.Config
	// Users reaches Cognito.
	Users UserDirectory
	// Audit records every attempt; the bot fails closed when it cannot write.
	Audit AuditLog
	// State holds pending actions and sessions shared by all replicas.
	State StateStore
	// Policy authorizes actors, on commands and again on every click.
	Policy Authorizer
	// Slack posts and updates messages. The socketmode client usually serves.
	Slack SlackAPI
	// Logger receives structured logs with IDs only; nil means no logging.
	Logger *zap.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// WorkTimeout bounds the work done for one envelope after it is acked; 0 means 60 s.
	WorkTimeout time.Duration
	// SweepInterval is how often expired approval requests are closed; 0 means 30 s.
	SweepInterval time.Duration
	// MaxConcurrent bounds envelopes handled at once (acks are never delayed by it); 0 means 16.
	MaxConcurrent int
	// ShutdownTimeout bounds how long Run waits for in-flight work once ctx ends;
	// 0 means 25 s. Work still running then is cancelled and counted in the log.
	ShutdownTimeout time.Duration
	// Observer is told about envelopes, acks, the queue and the connection, for
	// metrics and health checks; nil means nobody is watching.
	Observer Observer
}

// Bot serves one Socket Mode connection. It keeps no state of its own between
// envelopes: every button resolves through DynamoDB, so several replicas behave as one.
type Bot struct {
	cfg      *config.Config
	users    UserDirectory
	audit    AuditLog
	state    StateStore
	policy   Authorizer
	slack    SlackAPI
	log      *zap.Logger
	now      func() time.Time
	timeout  time.Duration
	sweep    time.Duration
	workers  chan struct{}
	registry registry
	obs      Observer
	drainFor time.Duration
	inflight atomic.Int64
}

// New checks that every dependency is present and returns a ready bot.
func New(c Config) (*Bot, error) {
	var missing []error
	if c.Settings == nil {
		missing = append(missing, errors.New("bot: Settings is required"))
	}
	if c.Users == nil {
		missing = append(missing, errors.New("bot: Users is required"))
	}
	if c.Audit == nil {
		missing = append(missing, errors.New("bot: Audit is required (the bot never acts unaudited)"))
	}
	if c.State == nil {
		missing = append(missing, errors.New("bot: State is required"))
	}
	if c.Policy == nil {
		missing = append(missing, errors.New("bot: Policy is required"))
	}
	if c.Slack == nil {
		missing = append(missing, errors.New("bot: Slack is required"))
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	b := &Bot{
		cfg:     c.Settings,
		users:   c.Users,
		audit:   c.Audit,
		state:   c.State,
		policy:  c.Policy,
		slack:   c.Slack,
		log:     c.Logger,
		now:     c.Now,
		timeout: c.WorkTimeout,
		sweep:   c.SweepInterval,
	}
	if b.log == nil {
		b.log = zap.NewNop()
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.timeout <= 0 {
		b.timeout = 60 * time.Second
	}
	if b.sweep <= 0 {
		b.sweep = 30 * time.Second
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = 16
	}
	b.workers = make(chan struct{}, c.MaxConcurrent)
	b.obs, b.drainFor = c.Observer, c.ShutdownTimeout
	if b.drainFor <= 0 {
		b.drainFor = 25 * time.Second
	}
	b.registry = newRegistry()
	return b, nil
}

// newRef returns a short random reference that ties an "internal error" answer in
// Slack to the full log line.
func newRef() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
