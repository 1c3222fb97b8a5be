// Package desk is what every command, flow and job of the bot shares: the
// configuration, the one pipeline, the state store, the policy, Slack, the
// logger and the clock, plus the helpers that use only those — answering
// (Reply, DM, UpdateMessage), turning an error into the sentence a person
// reads (UserMessage, the one place that does), sessions behind buttons and
// forms, and the text helpers. It holds no way to reach Cognito but the
// pipeline, and it imports none of the bot's flow, job or command packages:
// they all receive a *Desk.
package desk

import (
	"time"

	"go.uber.org/zap"

	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/config"
)

// Desk is the bot's shared dependencies. The fields are exported so that the
// packages built on it (and the bot's wiring) read them directly; they are
// set once by bot.New and never changed.
type Desk struct {
	// Cfg is the validated configuration (pools, roles, approvals, expiries).
	Cfg *config.Config
	// Pipe is the one pipeline every step ends in; it alone holds the directory.
	Pipe *pipeline.Pipeline
	// State keeps pending actions, sessions and schedules, shared by replicas.
	State StateStore
	// Policy is asked what a request needs before it runs, and what to offer.
	Policy Policy
	// Slack posts, updates and opens what people see.
	Slack SlackAPI
	// Log takes structured lines with ids only, never personal data.
	Log *zap.Logger
	// Now is the clock.
	Now func() time.Time
}
