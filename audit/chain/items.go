package chain

import "time"

// EntryItem is the stored shape of an Entry. Keeping storage tags here leaves Entry a
// plain domain type and keeps the key layout (see the package doc) in one place.
type EntryItem struct {
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
	Attrs
	IntentUsername string `dynamodbav:"intent_username,omitempty"`
	IntentSub      string `dynamodbav:"intent_sub,omitempty"`
}

// Attrs are the stored fields of a link, shared by entries and outcomes.
type Attrs struct {
	ChainPK          string `dynamodbav:"chain_pk,omitempty"`
	ChainSK          string `dynamodbav:"chain_sk,omitempty"`
	ChainKind        string `dynamodbav:"chain_kind,omitempty"`
	ChainPrev        string `dynamodbav:"chain_prev,omitempty"`
	ChainPrevExpires string `dynamodbav:"chain_prev_expires,omitempty"`
	ChainPrevID      string `dynamodbav:"chain_prev_id,omitempty"`
	ChainHash        string `dynamodbav:"chain_hash,omitempty"`
}
