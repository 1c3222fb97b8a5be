package chain

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"maps"
	"slices"
	"time"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// hashVersion names the encoding below; a future change of what is hashed gets a
// new version, so old links still verify.
const hashVersion = "cognito-bot/audit-chain/v1"

// fieldHasher feeds named fields to SHA-256, each name and value prefixed by its
// length, so no two different field lists can encode alike.
type fieldHasher struct{ h hash.Hash }

func newFieldHasher(c Attrs) fieldHasher {
	f := fieldHasher{sha256.New()}
	f.add("v", hashVersion)
	f.add(table.AttrChainPK, c.ChainPK)
	f.add(table.AttrChainSK, c.ChainSK)
	f.add(AttrChainKind, c.ChainKind)
	f.add(AttrChainPrev, c.ChainPrev)
	f.add(attrChainPrevExpires, c.ChainPrevExpires)
	f.add(attrChainPrevID, c.ChainPrevID)
	return f
}

func (f fieldHasher) add(name, value string) {
	var n [binary.MaxVarintLen64]byte
	for _, s := range []string{name, value} {
		f.h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		f.h.Write([]byte(s))
	}
}

func (f fieldHasher) sum() string { return hex.EncodeToString(f.h.Sum(nil)) }

// EntryHash is the hash of an entry's link: the chain fields and everything the
// entry held when written. For an intent that is before any outcome, so Finish
// never changes what this covers; the outcome is hashed by its own link.
func EntryHash(it EntryItem) string {
	f := newFieldHasher(it.Attrs)
	f.add("id", it.ID)
	f.add("time", it.Time)
	f.add("actor_user_id", it.ActorUserID)
	f.add("actor_team_id", it.ActorTeamID)
	f.add("actor_name", it.ActorName)
	if it.ActorWorkspace != "" {
		// Only when set, so the links written before the field existed verify.
		f.add("actor_workspace", it.ActorWorkspace)
	}
	f.add("channel", it.Channel)
	f.add("action", it.Action)
	f.add("target_pool", it.TargetPool)
	f.add("intent_username", it.IntentUsername)
	f.add("intent_sub", it.IntentSub)
	for _, k := range slices.Sorted(maps.Keys(it.Params)) {
		f.add("param:"+k, it.Params[k])
	}
	f.add("decision", it.Decision)
	f.add("deny_reason", it.DenyReason)
	f.add("slack_ref", it.SlackRef)
	f.add("approval_id", it.ApprovalID)
	f.add("reason", it.Reason)
	f.add("deadline", it.Deadline)
	if it.ChainKind == KindRecord {
		f.add("outcome", it.Outcome)
		f.add("message", it.Message)
		f.add("cognito_request_id", it.CognitoRequestID)
	}
	return f.sum()
}

// OutcomeItem is the stored shape of an outcome link: what Finish recorded for an
// intent, in the intent's chain. The entry item gets the same fields for readers;
// verify compares the two.
type OutcomeItem struct {
	PK               string `dynamodbav:"pk"`
	ID               string `dynamodbav:"id"`
	EntryHash        string `dynamodbav:"entry_hash"`
	Outcome          string `dynamodbav:"outcome"`
	Message          string `dynamodbav:"message,omitempty"`
	CognitoRequestID string `dynamodbav:"cognito_request_id,omitempty"`
	FinishedAt       string `dynamodbav:"finished_at"`
	ResolvedUsername string `dynamodbav:"resolved_username,omitempty"`
	ResolvedSub      string `dynamodbav:"resolved_sub,omitempty"`
	Attrs
	TTL time.Time `dynamodbav:"ttl,unixtime,omitempty"`
}

// OutcomeHash is the hash of an outcome link; EntryHash ties it to its intent.
func OutcomeHash(o OutcomeItem) string {
	f := newFieldHasher(o.Attrs)
	f.add("id", o.ID)
	f.add("entry_hash", o.EntryHash)
	f.add("outcome", o.Outcome)
	f.add("message", o.Message)
	f.add("cognito_request_id", o.CognitoRequestID)
	f.add("finished_at", o.FinishedAt)
	f.add("resolved_username", o.ResolvedUsername)
	f.add("resolved_sub", o.ResolvedSub)
	return f.sum()
}
