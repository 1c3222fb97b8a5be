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

// pendingItem is the stored shape of a Pending. Times are fixed-width UTC strings, so
// condition expressions can compare them (expires_at > :now) as strings.
type pendingItem struct {
	PK              string            `dynamodbav:"pk"`
	ID              string            `dynamodbav:"id"`
	Kind            string            `dynamodbav:"kind"`
	Action          string            `dynamodbav:"action"`
	TargetPool      string            `dynamodbav:"target_pool,omitempty"`
	TargetUsername  string            `dynamodbav:"target_username,omitempty"`
	TargetSub       string            `dynamodbav:"target_sub,omitempty"`
	PoolName        string            `dynamodbav:"pool_name,omitempty"`
	JobID           string            `dynamodbav:"job_id,omitempty"`
	Params          map[string]string `dynamodbav:"params,omitempty"`
	Reason          string            `dynamodbav:"reason,omitempty"`
	RequesterUserID string            `dynamodbav:"requester_user_id"`
	RequesterTeamID string            `dynamodbav:"requester_team_id"`
	RequesterName   string            `dynamodbav:"requester_name,omitempty"`
	RequesterWS     string            `dynamodbav:"requester_workspace,omitempty"`
	Channel         string            `dynamodbav:"channel,omitempty"`
	State           string            `dynamodbav:"state"`
	CreatedAt       string            `dynamodbav:"created_at"`
	ExpiresAt       string            `dynamodbav:"expires_at"`
	DecidedByUserID string            `dynamodbav:"decided_by_user_id,omitempty"`
	DecidedByTeamID string            `dynamodbav:"decided_by_team_id,omitempty"`
	DecidedByName   string            `dynamodbav:"decided_by_name,omitempty"`
	DecidedAt       string            `dynamodbav:"decided_at,omitempty"`
	DecisionReason  string            `dynamodbav:"decision_reason,omitempty"`
	Result          string            `dynamodbav:"result,omitempty"`
	Snapshot        map[string]string `dynamodbav:"snapshot,omitempty"`
	CardChannel     string            `dynamodbav:"card_channel,omitempty"`
	CardTS          string            `dynamodbav:"card_ts,omitempty"`
	Escalated       string            `dynamodbav:"escalated,omitempty"`
	Version         int64             `dynamodbav:"version"`
	// TTL (epoch seconds) lets DynamoDB delete the item a retention period after its
	// deadline; until then a late click can still read the final state.
	TTL time.Time `dynamodbav:"ttl,unixtime,omitempty"`
	// DuePK and DueAt exist only while the item is PENDING: they are the keys of the
	// sparse by_due index the expiry sweeper reads.
	DuePK string `dynamodbav:"due_pk,omitempty"`
	DueAt string `dynamodbav:"due_at,omitempty"`
}

func toPendingItem(p audit.Pending, retention time.Duration) pendingItem {
	it := pendingItem{
		PK:              table.PendingKey(p.ID),
		ID:              p.ID,
		Kind:            string(p.Kind),
		Action:          string(p.Action),
		TargetPool:      p.Target.Pool,
		TargetUsername:  p.Target.Username,
		TargetSub:       p.Target.Sub,
		PoolName:        p.Pool,
		JobID:           p.Job,
		Params:          storedParams(p),
		Reason:          audit.Truncate(p.Reason, audit.MaxText),
		RequesterUserID: p.Requester.UserID,
		RequesterTeamID: p.Requester.TeamID,
		RequesterName:   audit.Truncate(p.Requester.Name, audit.MaxParamValue),
		RequesterWS:     p.Requester.Workspace,
		Channel:         p.Channel,
		State:           string(p.State),
		CreatedAt:       table.FormatTime(p.CreatedAt),
		ExpiresAt:       table.FormatTime(p.ExpiresAt),
		DecidedByUserID: p.DecidedBy.UserID,
		DecidedByTeamID: p.DecidedBy.TeamID,
		DecidedByName:   p.DecidedBy.Name,
		DecidedAt:       table.FormatTime(p.DecidedAt),
		DecisionReason:  p.DecisionReason,
		Result:          p.Result,
		Snapshot:        audit.SanitizeParams(targetSnapshotAttrs(p.Snapshot)),
		CardChannel:     p.CardChannel,
		CardTS:          p.CardTS,
		Escalated:       escalatedAttr(p.Escalated),
		Version:         p.Version,
		TTL:             p.ExpiresAt.Add(retention).Truncate(time.Second),
	}
	if p.State == audit.StatePending {
		it.DuePK, it.DueAt = table.DuePartition, table.SortKey(p.ExpiresAt, p.ID)
	}
	return it
}

// pending is the item as a Pending. It also reads the shape the version before
// typed fields wrote (the pool's name and the job id inside params); what it
// cannot map (an unknown kind, a snapshot it cannot read) is ErrUnreadable.
func (it pendingItem) pending() (audit.Pending, error) {
	params, pool, job, err := splitLegacyParams(it.Params, it.PoolName, it.JobID)
	if err != nil {
		return audit.Pending{}, fmt.Errorf("pending action %q: %w", it.ID, err)
	}
	params, old, jobApproval, err := splitParams(params, job)
	if err != nil {
		return audit.Pending{}, fmt.Errorf("pending action %q: %w", it.ID, err)
	}
	kind := audit.PendingKind(it.Kind)
	if !kind.Known() {
		return audit.Pending{}, fmt.Errorf("pending action %q has kind %q: %w", it.ID, it.Kind, audit.ErrUnreadable)
	}
	snapshot, err := targetSnapshotOf(it.Snapshot)
	if err != nil {
		return audit.Pending{}, fmt.Errorf("pending action %q: %w", it.ID, err)
	}
	return audit.Pending{
		ID:             it.ID,
		Kind:           kind,
		Action:         actions.Action(it.Action),
		Target:         audit.Target{Pool: it.TargetPool, Username: it.TargetUsername, Sub: it.TargetSub},
		Pool:           pool,
		Job:            job,
		JobApproval:    jobApproval,
		Params:         params,
		Old:            old,
		Reason:         it.Reason,
		Requester:      audit.Actor{UserID: it.RequesterUserID, TeamID: it.RequesterTeamID, Name: it.RequesterName, Workspace: it.RequesterWS},
		Channel:        it.Channel,
		State:          audit.State(it.State),
		CreatedAt:      table.ParseTime(it.CreatedAt),
		ExpiresAt:      table.ParseTime(it.ExpiresAt),
		DecidedBy:      audit.Actor{UserID: it.DecidedByUserID, TeamID: it.DecidedByTeamID, Name: it.DecidedByName},
		DecidedAt:      table.ParseTime(it.DecidedAt),
		DecisionReason: it.DecisionReason,
		Result:         it.Result,
		Snapshot:       snapshot,
		CardChannel:    it.CardChannel,
		CardTS:         it.CardTS,
		Escalated:      it.Escalated == "true",
		Version:        it.Version,
	}, nil
}

func unmarshalPending(av map[string]types.AttributeValue) (audit.Pending, error) {
	var it pendingItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return audit.Pending{}, fmt.Errorf("decoding pending action: %w", err)
	}
	return it.pending()
}

func escalatedAttr(b bool) string {
	if b {
		return "true"
	}
	return ""
}
