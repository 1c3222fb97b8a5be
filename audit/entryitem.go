package audit

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// entryItem is the stored shape of an Entry. Keeping storage tags here leaves Entry a
// plain domain type and keeps the key layout (see the package doc) in one place.
type entryItem struct {
	PK               string            `dynamodbav:"pk"`
	ID               string            `dynamodbav:"id"`
	Time             string            `dynamodbav:"time"`
	ActorUserID      string            `dynamodbav:"actor_user_id,omitempty"`
	ActorTeamID      string            `dynamodbav:"actor_team_id,omitempty"`
	ActorName        string            `dynamodbav:"actor_name,omitempty"`
	ActorWorkspace   string            `dynamodbav:"actor_workspace,omitempty"`
	Channel          string            `dynamodbav:"channel,omitempty"`
	Action           string            `dynamodbav:"action"`
	TargetPool       string            `dynamodbav:"target_pool,omitempty"`
	TargetUsername   string            `dynamodbav:"target_username,omitempty"`
	TargetSub        string            `dynamodbav:"target_sub,omitempty"`
	Params           map[string]string `dynamodbav:"params,omitempty"`
	Decision         string            `dynamodbav:"decision"`
	DenyReason       string            `dynamodbav:"deny_reason,omitempty"`
	Outcome          string            `dynamodbav:"outcome,omitempty"`
	Message          string            `dynamodbav:"message,omitempty"`
	SlackRef         string            `dynamodbav:"slack_ref,omitempty"`
	CognitoRequestID string            `dynamodbav:"cognito_request_id,omitempty"`
	ApprovalID       string            `dynamodbav:"approval_id,omitempty"`
	Reason           string            `dynamodbav:"reason,omitempty"`
	FinishedAt       string            `dynamodbav:"finished_at,omitempty"`
	Deadline         string            `dynamodbav:"deadline,omitempty"`
	// TTL must be a Number of epoch seconds for DynamoDB to expire the item.
	TTL time.Time `dynamodbav:"ttl,unixtime,omitempty"`

	// Index keys; absent (not empty) when there is nothing to index, which keeps the
	// indexes sparse and avoids DynamoDB's "empty key" validation error.
	TargetPK string `dynamodbav:"target_pk,omitempty"`
	TargetSK string `dynamodbav:"target_sk,omitempty"`
	ActorPK  string `dynamodbav:"actor_pk,omitempty"`
	ActorSK  string `dynamodbav:"actor_sk,omitempty"`
	// OpenPK and OpenSK exist only while the outcome is pending: they are the keys of the
	// sparse by_open index OpenIntents reads, and Finish removes them.
	OpenPK string `dynamodbav:"open_pk,omitempty"`
	OpenSK string `dynamodbav:"open_sk,omitempty"`

	// The entry's link in its hash chain (chain.go); all absent on entries written
	// before the chain existed. IntentUsername and IntentSub keep the target as the
	// entry began, which the link's hash covers: FinishResolved may change the
	// target later, and that change is covered by the outcome's own link.
	chainAttrs
	IntentUsername string `dynamodbav:"intent_username,omitempty"`
	IntentSub      string `dynamodbav:"intent_sub,omitempty"`
}

// chainAttrs are the stored fields of a link, shared by entries and outcomes.
type chainAttrs struct {
	ChainPK          string `dynamodbav:"chain_pk,omitempty"`
	ChainSK          string `dynamodbav:"chain_sk,omitempty"`
	ChainKind        string `dynamodbav:"chain_kind,omitempty"`
	ChainPrev        string `dynamodbav:"chain_prev,omitempty"`
	ChainPrevExpires string `dynamodbav:"chain_prev_expires,omitempty"`
	ChainPrevID      string `dynamodbav:"chain_prev_id,omitempty"`
	ChainHash        string `dynamodbav:"chain_hash,omitempty"`
}

func toEntryItem(e Entry) entryItem {
	it := entryItem{
		PK:               entryKey(e.ID),
		ID:               e.ID,
		Time:             formatTime(e.Time),
		ActorUserID:      e.Actor.UserID,
		ActorTeamID:      e.Actor.TeamID,
		ActorName:        truncate(e.Actor.Name, maxParamValue),
		ActorWorkspace:   e.Actor.Workspace,
		Channel:          e.Channel,
		Action:           e.Action,
		TargetPool:       e.Target.Pool,
		TargetUsername:   e.Target.Username,
		TargetSub:        e.Target.Sub,
		Params:           sanitizeParams(e.Params),
		Decision:         string(e.Decision),
		DenyReason:       truncate(e.DenyReason, maxText),
		Outcome:          string(e.Outcome),
		Message:          truncate(e.Message, maxText),
		SlackRef:         e.SlackRef,
		CognitoRequestID: e.CognitoRequestID,
		ApprovalID:       e.ApprovalID,
		Reason:           truncate(e.Reason, maxText),
		FinishedAt:       formatTime(e.FinishedAt),
		Deadline:         formatTime(e.Deadline),
		TTL:              e.ExpiresAt,
	}
	if e.Target.Username != "" {
		it.TargetPK = targetKey(e.Target.Pool, e.Target.Username)
		it.TargetSK = sortKey(e.Time, e.ID)
	}
	if e.Actor.UserID != "" && e.Actor.TeamID != "" {
		it.ActorPK = actorKey(e.Actor.TeamID, e.Actor.UserID)
		it.ActorSK = sortKey(e.Time, e.ID)
	}
	if e.Outcome == OutcomePending {
		due := e.Time
		if !e.Deadline.IsZero() {
			due = e.Deadline
		}
		it.OpenPK, it.OpenSK = openPartition, sortKey(due, e.ID)
	}
	return it
}

func (it entryItem) entry() Entry {
	return Entry{
		ID:               it.ID,
		Time:             parseTime(it.Time),
		Actor:            Actor{UserID: it.ActorUserID, TeamID: it.ActorTeamID, Name: it.ActorName, Workspace: it.ActorWorkspace},
		Channel:          it.Channel,
		Action:           it.Action,
		Target:           Target{Pool: it.TargetPool, Username: it.TargetUsername, Sub: it.TargetSub},
		Params:           it.Params,
		Decision:         Decision(it.Decision),
		DenyReason:       it.DenyReason,
		Outcome:          Outcome(it.Outcome),
		Message:          it.Message,
		SlackRef:         it.SlackRef,
		CognitoRequestID: it.CognitoRequestID,
		ApprovalID:       it.ApprovalID,
		Reason:           it.Reason,
		FinishedAt:       parseTime(it.FinishedAt),
		Deadline:         parseTime(it.Deadline),
		ExpiresAt:        utcOrZero(it.TTL),
		Chain:            it.chainAttrs.link(),
	}
}

func unmarshalEntry(av map[string]types.AttributeValue) (Entry, error) {
	var it entryItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return Entry{}, fmt.Errorf("decoding audit entry: %w", err)
	}
	return it.entry(), nil
}

// marshal encodes a storage struct, leaving zero times out (instead of the year-1
// timestamp the unixtime tag would otherwise produce).
func marshal(v any) (map[string]types.AttributeValue, error) {
	return attributevalue.MarshalMapWithOptions(v, func(o *attributevalue.EncoderOptions) {
		o.OmitEmptyTime = true
	})
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
