package bot

import (
	"context"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/cognito"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/rbac"
)

// UserDirectory is the part of the Cognito layer the bot uses. It is declared here,
// where it is consumed, so tests can substitute a fake for pure-logic tests while the
// end-to-end tests use *cognito.Directory against moto.
type UserDirectory interface {
	GetUser(ctx context.Context, poolID, username string) (*cognito.User, error)
	FindUsers(ctx context.Context, poolID, query string, max int) ([]cognito.User, error)
	ListUsers(ctx context.Context, poolID string, f cognito.ListFilter, limit int, pageToken string) (cognito.Page, error)
	DisableUser(ctx context.Context, poolID, username string) (cognito.Result, error)
	EnableUser(ctx context.Context, poolID, username string) (cognito.Result, error)
	ResetPassword(ctx context.Context, poolID, username string) (cognito.Result, error)
	SignOut(ctx context.Context, poolID, username string) (cognito.Result, error)
	DeleteUser(ctx context.Context, poolID, username string) (cognito.Result, error)
}

// AuditLog is the append-only record of every attempt. The bot fails closed on it:
// when Begin fails, the Cognito call is not made.
type AuditLog interface {
	Begin(ctx context.Context, e audit.Entry) error
	Finish(ctx context.Context, id string, outcome audit.Outcome, message, cognitoRequestID string) error
	Record(ctx context.Context, e audit.Entry) error
	ByTarget(ctx context.Context, pool, username string, limit int, cursor string) ([]audit.Entry, string, error)
	ByActor(ctx context.Context, teamID, userID string, limit int, cursor string) ([]audit.Entry, string, error)
}

// StateStore keeps everything a button points at — pending actions and small
// sessions — in DynamoDB, so that any replica can serve any click.
type StateStore interface {
	Create(ctx context.Context, p audit.Pending) (audit.Pending, error)
	Get(ctx context.Context, id string) (audit.Pending, error)
	Transition(ctx context.Context, id string, from, to audit.State, upd audit.Update) (audit.Pending, error)
	SetCard(ctx context.Context, id, channel, ts string) error
	DueForExpiry(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error)
	StuckExecuting(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error)
	PutSession(ctx context.Context, id string, data map[string]string, ttl time.Duration) error
	GetSession(ctx context.Context, id string) (map[string]string, error)
}

// Authorizer decides who may run and approve what; the bot asks it again on every
// click, never trusting what a button says.
type Authorizer interface {
	Allow(ctx context.Context, actor rbac.Actor, action config.Action, channel, pool string) rbac.Decision
	AllowedActions(ctx context.Context, actor rbac.Actor, channel, pool string) []config.Action
	CanApproveRequest(ctx context.Context, approver, requester rbac.Actor, action config.Action, pool string) rbac.Decision
}

// SlackAPI is the subset of slack-go's Web API client the bot calls; *slack.Client
// and *socketmode.Client satisfy it.
type SlackAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
}
