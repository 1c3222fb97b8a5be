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

func jobKey(id string) string { return "JOB#" + table.KeyPart(id) }

// targetSK orders a job's targets by index as strings.
func targetSK(index int) string { return fmt.Sprintf("%07d", index) }

func targetItemKey(jobID string, index int) string {
	return "JOBTARGET#" + table.KeyPart(jobID) + "#" + targetSK(index)
}

// jobItem is the stored shape of a Job. The cancel fields are always present (empty
// until someone cancels), so "not cancelled yet" is a plain equality condition.
type jobItem struct {
	PK                string            `dynamodbav:"pk"`
	ID                string            `dynamodbav:"id"`
	Action            string            `dynamodbav:"action"`
	Pool              string            `dynamodbav:"pool,omitempty"`
	PoolID            string            `dynamodbav:"pool_id,omitempty"`
	Args              map[string]string `dynamodbav:"args,omitempty"`
	Reason            string            `dynamodbav:"reason,omitempty"`
	RequesterUserID   string            `dynamodbav:"requester_user_id"`
	RequesterTeamID   string            `dynamodbav:"requester_team_id"`
	RequesterName     string            `dynamodbav:"requester_name,omitempty"`
	RequesterWS       string            `dynamodbav:"requester_workspace,omitempty"`
	Channel           string            `dynamodbav:"channel,omitempty"`
	State             string            `dynamodbav:"state"`
	Total             int               `dynamodbav:"total"`
	ToRun             int               `dynamodbav:"to_run"`
	CreatedAt         string            `dynamodbav:"created_at"`
	ExpiresAt         string            `dynamodbav:"expires_at"`
	Owner             string            `dynamodbav:"owner"`
	LeaseUntil        string            `dynamodbav:"lease_until"`
	CancelledByUserID string            `dynamodbav:"cancelled_by_user_id"`
	CancelledByTeamID string            `dynamodbav:"cancelled_by_team_id,omitempty"`
	CancelledByName   string            `dynamodbav:"cancelled_by_name,omitempty"`
	CancelledAt       string            `dynamodbav:"cancelled_at,omitempty"`
	StartedByUserID   string            `dynamodbav:"started_by_user_id,omitempty"`
	StartedByTeamID   string            `dynamodbav:"started_by_team_id,omitempty"`
	StartedByName     string            `dynamodbav:"started_by_name,omitempty"`
	MessageChannel    string            `dynamodbav:"message_channel,omitempty"`
	MessageTS         string            `dynamodbav:"message_ts,omitempty"`
	FinishedAt        string            `dynamodbav:"finished_at,omitempty"`
	Summary           string            `dynamodbav:"summary,omitempty"`
	Version           int64             `dynamodbav:"version"`
	TTL               time.Time         `dynamodbav:"ttl,unixtime,omitempty"`
	DuePK             string            `dynamodbav:"due_pk,omitempty"`
	DueAt             string            `dynamodbav:"due_at,omitempty"`
}

func toJobItem(j audit.Job, ttl time.Time) jobItem {
	return jobItem{
		PK: jobKey(j.ID), ID: j.ID, Action: string(j.Action), Pool: j.Pool, PoolID: j.PoolID, Args: j.Args,
		Reason:          audit.Truncate(j.Reason, audit.MaxText),
		RequesterUserID: j.Requester.UserID, RequesterTeamID: j.Requester.TeamID,
		RequesterName: audit.Truncate(j.Requester.Name, audit.MaxParamValue), RequesterWS: j.Requester.Workspace, Channel: j.Channel,
		State: string(j.State), Total: j.Total, ToRun: j.ToRun, CreatedAt: table.FormatTime(j.CreatedAt), ExpiresAt: table.FormatTime(j.ExpiresAt),
		Owner: j.Owner, LeaseUntil: table.FormatTime(j.LeaseUntil), Version: j.Version, TTL: ttl,
		MessageChannel: j.MessageChannel, MessageTS: j.MessageTS,
	}
}

func (it jobItem) job() audit.Job {
	return audit.Job{
		ID: it.ID, Action: actions.Action(it.Action), Pool: it.Pool, PoolID: it.PoolID, Args: it.Args, Reason: it.Reason,
		Requester: audit.Actor{UserID: it.RequesterUserID, TeamID: it.RequesterTeamID, Name: it.RequesterName, Workspace: it.RequesterWS},
		Channel:   it.Channel, State: audit.JobState(it.State), Total: it.Total, ToRun: it.ToRun,
		CreatedAt: table.ParseTime(it.CreatedAt), ExpiresAt: table.ParseTime(it.ExpiresAt),
		Owner: it.Owner, LeaseUntil: table.ParseTime(it.LeaseUntil),
		CancelledBy:    audit.Actor{UserID: it.CancelledByUserID, TeamID: it.CancelledByTeamID, Name: it.CancelledByName},
		CancelledAt:    table.ParseTime(it.CancelledAt),
		StartedBy:      audit.Actor{UserID: it.StartedByUserID, TeamID: it.StartedByTeamID, Name: it.StartedByName},
		MessageChannel: it.MessageChannel, MessageTS: it.MessageTS,
		FinishedAt: table.ParseTime(it.FinishedAt), Summary: it.Summary, Version: it.Version,
	}
}

func unmarshalJob(av map[string]types.AttributeValue) (audit.Job, error) {
	var it jobItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return audit.Job{}, fmt.Errorf("decoding job: %w", err)
	}
	return it.job(), nil
}

// targetItem is the stored shape of a JobTarget; job_pk and job_sk place it in the
// by_job index, in index order.
type targetItem struct {
	PK         string            `dynamodbav:"pk"`
	JobPK      string            `dynamodbav:"job_pk"`
	JobSK      string            `dynamodbav:"job_sk"`
	JobID      string            `dynamodbav:"job_id"`
	Index      int               `dynamodbav:"index"`
	Input      string            `dynamodbav:"input,omitempty"`
	Username   string            `dynamodbav:"username,omitempty"`
	Sub        string            `dynamodbav:"sub,omitempty"`
	Data       map[string]string `dynamodbav:"data,omitempty"`
	State      string            `dynamodbav:"state"`
	Note       string            `dynamodbav:"note,omitempty"`
	Owner      string            `dynamodbav:"owner"`
	FinishedAt string            `dynamodbav:"finished_at,omitempty"`
	TTL        time.Time         `dynamodbav:"ttl,unixtime,omitempty"`
}

func toTargetItem(t audit.JobTarget, ttl time.Time) targetItem {
	return targetItem{
		PK: targetItemKey(t.JobID, t.Index), JobPK: jobKey(t.JobID), JobSK: targetSK(t.Index), JobID: t.JobID, Index: t.Index,
		Input: audit.Truncate(t.Input, audit.MaxParamValue), Username: t.Username, Sub: t.Sub, Data: t.Data,
		State: string(t.State), Note: audit.Truncate(t.Note, audit.MaxText), Owner: t.Owner, TTL: ttl,
	}
}

func unmarshalTarget(av map[string]types.AttributeValue) (audit.JobTarget, error) {
	var it targetItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return audit.JobTarget{}, fmt.Errorf("decoding job target: %w", err)
	}
	return audit.JobTarget{JobID: it.JobID, Index: it.Index, Input: it.Input, Username: it.Username, Sub: it.Sub,
		Data: it.Data, State: audit.TargetState(it.State), Note: it.Note, Owner: it.Owner}, nil
}

// jobLeasePartition is the by_due partition of running jobs, keyed by lease expiry,
// so any replica finds the jobs whose runner stopped.
const jobLeasePartition = "JOBLEASE"

// noOwner and epoch stand for "nobody" and "never" in conditions, which need the
// attribute to exist.
const noOwner = "-"

var epoch = time.Unix(0, 0).UTC()
