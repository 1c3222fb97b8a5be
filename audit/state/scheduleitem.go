package state

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit"
	"github.com/cognito-bot/cognito-bot/audit/table"
	"github.com/cognito-bot/cognito-bot/internal/actions"
)

func scheduleKey(id string) string { return "SCHEDULE#" + table.KeyPart(id) }

// scheduleTargetKey is the by_job partition of one user's schedules, so a
// user's card can say "scheduled for deletion" with one query. (by_job is a
// generic string index; job partitions are "JOB#…", never this.)
func scheduleTargetKey(pool, subOrUsername string) string {
	return "SCHEDTARGET#" + table.KeyPart(pool) + "#" + table.KeyPart(subOrUsername)
}

// scheduleItem is the stored shape of a Scheduled. While it waits it is in the
// by_due index (due_pk SCHEDULED, due at run_at); while it runs in by_due
// SCHEDULE_RUNNING, due when stuck. It is in its user's by_job partition in
// every state, until its TTL.
type scheduleItem struct {
	PK               string            `dynamodbav:"pk"`
	ID               string            `dynamodbav:"id"`
	Kind             string            `dynamodbav:"kind"`
	Action           string            `dynamodbav:"action"`
	TargetPool       string            `dynamodbav:"target_pool,omitempty"`
	TargetUsername   string            `dynamodbav:"target_username,omitempty"`
	TargetSub        string            `dynamodbav:"target_sub,omitempty"`
	PoolName         string            `dynamodbav:"pool_name,omitempty"`
	Args             map[string]string `dynamodbav:"args,omitempty"`
	Reason           string            `dynamodbav:"reason,omitempty"`
	RequesterUserID  string            `dynamodbav:"requester_user_id"`
	RequesterTeamID  string            `dynamodbav:"requester_team_id"`
	RequesterName    string            `dynamodbav:"requester_name,omitempty"`
	RequesterWS      string            `dynamodbav:"requester_workspace,omitempty"`
	Channel          string            `dynamodbav:"channel,omitempty"`
	ApprovedByUserID string            `dynamodbav:"approved_by_user_id,omitempty"`
	ApprovedByTeamID string            `dynamodbav:"approved_by_team_id,omitempty"`
	ApprovedByName   string            `dynamodbav:"approved_by_name,omitempty"`
	ApprovalID       string            `dynamodbav:"approval_id,omitempty"`
	RequestID        string            `dynamodbav:"request_id,omitempty"`
	BulkJob          string            `dynamodbav:"bulk_job,omitempty"`
	BulkTarget       int               `dynamodbav:"bulk_target,omitempty"`
	RunAt            string            `dynamodbav:"run_at"`
	CreatedAt        string            `dynamodbav:"created_at"`
	State            string            `dynamodbav:"state"`
	DecidedByUserID  string            `dynamodbav:"decided_by_user_id,omitempty"`
	DecidedByTeamID  string            `dynamodbav:"decided_by_team_id,omitempty"`
	DecidedByName    string            `dynamodbav:"decided_by_name,omitempty"`
	DecidedAt        string            `dynamodbav:"decided_at,omitempty"`
	Result           string            `dynamodbav:"result,omitempty"`
	Snapshot         map[string]string `dynamodbav:"snapshot,omitempty"`
	Groups           []string          `dynamodbav:"groups,omitempty"`
	Version          int64             `dynamodbav:"version"`
	TTL              time.Time         `dynamodbav:"ttl,unixtime,omitempty"`
	DuePK            string            `dynamodbav:"due_pk,omitempty"`
	DueAt            string            `dynamodbav:"due_at,omitempty"`
	JobPK            string            `dynamodbav:"job_pk,omitempty"`
	JobSK            string            `dynamodbav:"job_sk,omitempty"`
}

func toScheduleItem(s audit.Scheduled, retention time.Duration) scheduleItem {
	who := s.Target.Sub
	if who == "" {
		who = s.Target.Username
	}
	return scheduleItem{
		PK: scheduleKey(s.ID), ID: s.ID, Kind: string(s.Kind), Action: string(s.Action),
		TargetPool: s.Target.Pool, TargetUsername: s.Target.Username, TargetSub: s.Target.Sub, PoolName: s.PoolName,
		Args: s.Args, Reason: audit.Truncate(s.Reason, audit.MaxText),
		RequesterUserID: s.Requester.UserID, RequesterTeamID: s.Requester.TeamID, RequesterName: audit.Truncate(s.Requester.Name, audit.MaxParamValue),
		RequesterWS:      s.Requester.Workspace,
		Channel:          s.Channel,
		ApprovedByUserID: s.ApprovedBy.UserID, ApprovedByTeamID: s.ApprovedBy.TeamID, ApprovedByName: audit.Truncate(s.ApprovedBy.Name, audit.MaxParamValue),
		ApprovalID: s.ApprovalID, RequestID: s.RequestID, BulkJob: s.JobID, BulkTarget: s.JobTarget,
		RunAt: table.FormatTime(s.RunAt), CreatedAt: table.FormatTime(s.CreatedAt), State: string(s.State),
		Snapshot: audit.SanitizeParams(deletionSnapshotAttrs(s.Snapshot)), Groups: s.Groups, Version: s.Version,
		TTL:   s.RunAt.Add(retention).Truncate(time.Second),
		DuePK: schedulePartition, DueAt: table.SortKey(s.RunAt, s.ID),
		JobPK: scheduleTargetKey(s.Target.Pool, who), JobSK: table.SortKey(s.RunAt, s.ID),
	}
}

// scheduled is the item as a Scheduled; what it cannot map (an unknown kind, a
// snapshot it cannot read) is ErrUnreadable.
func (it scheduleItem) scheduled() (audit.Scheduled, error) {
	kind := audit.ScheduleKind(it.Kind)
	if !kind.Known() {
		return audit.Scheduled{}, fmt.Errorf("schedule %q has kind %q: %w", it.ID, it.Kind, audit.ErrUnreadable)
	}
	snapshot, err := deletionSnapshotOf(it.Snapshot)
	if err != nil {
		return audit.Scheduled{}, fmt.Errorf("schedule %q: %w", it.ID, err)
	}
	return audit.Scheduled{
		ID: it.ID, Kind: kind, Action: actions.Action(it.Action),
		Target:   audit.Target{Pool: it.TargetPool, Username: it.TargetUsername, Sub: it.TargetSub},
		PoolName: it.PoolName, Args: it.Args, Reason: it.Reason,
		Requester:  audit.Actor{UserID: it.RequesterUserID, TeamID: it.RequesterTeamID, Name: it.RequesterName, Workspace: it.RequesterWS},
		Channel:    it.Channel,
		ApprovedBy: audit.Actor{UserID: it.ApprovedByUserID, TeamID: it.ApprovedByTeamID, Name: it.ApprovedByName},
		ApprovalID: it.ApprovalID, RequestID: it.RequestID, JobID: it.BulkJob, JobTarget: it.BulkTarget,
		RunAt: table.ParseTime(it.RunAt), CreatedAt: table.ParseTime(it.CreatedAt), State: audit.State(it.State),
		DecidedBy: audit.Actor{UserID: it.DecidedByUserID, TeamID: it.DecidedByTeamID, Name: it.DecidedByName},
		DecidedAt: table.ParseTime(it.DecidedAt), Result: it.Result,
		Snapshot: snapshot, Groups: it.Groups, Version: it.Version,
	}, nil
}

func unmarshalSchedule(av map[string]types.AttributeValue) (audit.Scheduled, error) {
	var it scheduleItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return audit.Scheduled{}, fmt.Errorf("decoding schedule: %w", err)
	}
	return it.scheduled()
}
