package desk

import (
	"context"
	"io"
	"time"

	"github.com/slack-go/slack"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/bot/bulk"
	"github.com/cognito-bot/cognito-bot/bot/pipeline"
	"github.com/cognito-bot/cognito-bot/internal/actions"
	"github.com/cognito-bot/cognito-bot/internal/config"
	"github.com/cognito-bot/cognito-bot/internal/policy"
)

// StateStore keeps everything a button points at — pending actions and small
// sessions — in DynamoDB (or memory, in the sandbox), so that any replica can
// serve any click. It holds no way to reach Cognito.
type StateStore interface {
	Create(ctx context.Context, p audit.Pending) (audit.Pending, error)
	Get(ctx context.Context, id string) (audit.Pending, error)
	Transition(ctx context.Context, id string, from, to audit.State, upd audit.Update) (audit.Pending, error)
	SetCard(ctx context.Context, id, channel, ts string) error
	DueForExpiry(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error)
	StuckExecuting(ctx context.Context, now time.Time, limit int) ([]audit.Pending, error)
	PutSession(ctx context.Context, id string, data map[string]string, ttl time.Duration) error
	GetSession(ctx context.Context, id string) (map[string]string, error)
	ScheduleStore
	ReminderStore
}

// ReminderStore finds approvals still waiting and makes sure each reminder is
// sent once, whichever replica's sweep gets there first.
type ReminderStore interface {
	WaitingPending(ctx context.Context, limit int) ([]audit.Pending, error)
	Once(ctx context.Context, key string, ttl time.Duration) (bool, error)
	MarkEscalated(ctx context.Context, id string) error
}

// ScheduleStore keeps actions that run later by themselves — the hard delete
// after an undo window, an action requested for a time — in the state table,
// so they survive restarts and run once across replicas.
type ScheduleStore interface {
	CreateSchedule(ctx context.Context, s audit.Scheduled) (audit.Scheduled, error)
	GetSchedule(ctx context.Context, id string) (audit.Scheduled, error)
	MoveSchedule(ctx context.Context, id string, from, to audit.State, upd audit.ScheduleUpdate) (audit.Scheduled, error)
	DueSchedules(ctx context.Context, now time.Time, limit int) ([]audit.Scheduled, error)
	StuckSchedules(ctx context.Context, now time.Time, limit int) ([]audit.Scheduled, error)
	WaitingSchedules(ctx context.Context, limit int) ([]audit.Scheduled, error)
	SchedulesFor(ctx context.Context, pool, subOrUsername string) ([]audit.Scheduled, error)
	AllSchedulesFor(ctx context.Context, pool, subOrUsername string) ([]audit.Scheduled, error)
}

// Policy is the one decision (package policy, with user groups looked up by
// *rbac.Policy). The pipeline asks it on every step; the bot asks it what a
// request needs before it runs, and which actions to offer (help, card
// buttons).
type Policy interface {
	pipeline.Authorizer
	Actions(ctx context.Context, actor policy.Actor, channel, pool string) []actions.Action
	// Resolve looks up the actor's user groups now, so that a later Decide
	// with the result waits on nothing (the re-checks inside an operation).
	Resolve(ctx context.Context, actor policy.Actor) policy.Actor
	// ApprovalFor is the approval rule guarding an action on a pool, so
	// reminders and break-glass notices reach that rule's approvers.
	ApprovalFor(action actions.Action, pool string) (config.ApprovalRule, bool)
}

// SlackAPI is the subset of slack-go's Web API client the bot calls; *slack.Client
// and *socketmode.Client satisfy it.
type SlackAPI interface {
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	// UploadFileContext shares a file with files.getUploadURLExternal, the upload
	// and files.completeUploadExternal.
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
	// GetFileContext downloads a file a user attached (url_private_download)
	// with the bot token.
	GetFileContext(ctx context.Context, downloadURL string, writer io.Writer) error
	// GetUserGroupMembersContext lists a user group's members, to DM every
	// approver of a rule about a break-glass run.
	GetUserGroupMembersContext(ctx context.Context, userGroup string, options ...slack.GetUserGroupMembersOption) ([]string, error)
	// PublishViewContext publishes a person's Home tab (views.publish).
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	// GetUserInfoContext reads a member (users.info), for their time zone.
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
}

// JobStore is a state store that also keeps bulk jobs and each requester's
// recent bulk volume (state.Store and state.MemoryStore); without it the bot
// runs no bulk jobs.
type JobStore interface {
	bulk.Store
	BulkVolume(ctx context.Context, who audit.Actor, now time.Time, window time.Duration) (audit.Volume, error)
	AddBulkVolume(ctx context.Context, who audit.Actor, v audit.Volume, window time.Duration, n int) error
	// Hold gives name to holder for ttl unless another holder has it (one
	// export per person across replicas); holding again renews it. Unhold
	// releases it if holder has it.
	Hold(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	Unhold(ctx context.Context, name, holder string) error
}
