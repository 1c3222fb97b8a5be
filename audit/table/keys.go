package table

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute and index names shared by both tables.
const (
	AttrPK  = "pk"
	AttrTTL = "ttl"

	IndexByTarget = "by_target"
	IndexByActor  = "by_actor"
	IndexByDue    = "by_due"
	IndexByOpen   = "by_open"
	IndexByJob    = "by_job"

	AttrTargetPK = "target_pk"
	AttrTargetSK = "target_sk"
	AttrActorPK  = "actor_pk"
	AttrActorSK  = "actor_sk"
	AttrDuePK    = "due_pk"
	AttrDueAt    = "due_at"
	AttrOpenPK   = "open_pk"
	AttrOpenSK   = "open_sk"
	AttrJobPK    = "job_pk"
	AttrJobSK    = "job_sk"

	// The hash chain's index (see chain.go).
	IndexByChain = "by_chain"
	AttrChainPK  = "chain_pk"
	AttrChainSK  = "chain_sk"

	// DuePartition is the single due_pk value; one partition is ample at bot volumes.
	DuePartition = "PENDING"
	// StuckPartition holds EXECUTING items, keyed by when they count as stuck.
	StuckPartition = "EXECUTING"
	// OpenPartition is the single open_pk value of audit entries still waiting for Finish.
	OpenPartition = "OPEN"
)

// MaxKeyPart bounds each caller-supplied piece of a key. Longer pieces are hashed, so the
// sort key "<time>#<id>" and the partition keys stay well under DynamoDB's limits.
const MaxKeyPart = 256

// timeLayout is RFC 3339 with a fixed nine-digit fraction. time.RFC3339Nano drops
// trailing zeros, which would break the lexicographic order sort keys rely on.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// KeyPart makes a caller-supplied string safe to embed in a key: short strings are kept
// as they are, and long ones (or ones starting with the hash marker "~", so the mapping
// stays one-to-one) become "~" plus their SHA-256.
func KeyPart(s string) string {
	if len(s) <= MaxKeyPart && !strings.HasPrefix(s, "~") {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "~" + hex.EncodeToString(sum[:])
}

// EntryKey is the pk of audit entry id.
func EntryKey(id string) string { return "ENTRY#" + KeyPart(id) }

// PendingKey is the pk of pending action id.
func PendingKey(id string) string { return "PENDING#" + KeyPart(id) }

// SessionKey is the pk of session id.
func SessionKey(id string) string { return "SESSION#" + KeyPart(id) }

// TargetKey is the by_target partition of one Cognito user's history.
func TargetKey(pool, username string) string {
	return "TARGET#" + KeyPart(pool) + "#" + KeyPart(username)
}

// ActorKey is the by_actor partition of one Slack user's actions.
func ActorKey(teamID, userID string) string {
	return "ACTOR#" + KeyPart(teamID) + "#" + KeyPart(userID)
}

// SortKey orders index entries by time, with the id breaking ties.
func SortKey(t time.Time, id string) string { return FormatTime(t) + "#" + KeyPart(id) }

// FormatTime writes t in UTC with a fixed-width fraction, so stored times sort as
// strings; the zero time is "".
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// ParseTime reads a stored time back (zero when empty or malformed).
func ParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// KeyOf is the DynamoDB key of the item pk.
func KeyOf(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrPK: &types.AttributeValueMemberS{Value: pk}}
}

// EncodeCursor turns a LastEvaluatedKey (all string attributes in this package) into an
// opaque URL-safe token.
func EncodeCursor(key map[string]types.AttributeValue) string {
	if len(key) == 0 {
		return ""
	}
	flat := make(map[string]string, len(key))
	for k, v := range key {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			flat[k] = s.Value
		}
	}
	b, _ := json.Marshal(flat)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reverses encodeCursor and checks that the cursor belongs to the query it
// is used with (same index partition), so a cursor from another listing cannot be
// replayed against this one.
func DecodeCursor(cursor, partitionAttr, sortAttr, partition string) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, fmt.Errorf("%w: decoding cursor: %v", ErrInvalid, err)
	}
	var flat map[string]string
	if err := json.Unmarshal(b, &flat); err != nil {
		return nil, fmt.Errorf("%w: decoding cursor: %v", ErrInvalid, err)
	}
	if flat[partitionAttr] != partition || flat[AttrPK] == "" || flat[sortAttr] == "" || len(flat) != 3 {
		return nil, fmt.Errorf("%w: cursor belongs to another listing", ErrInvalid)
	}
	key := make(map[string]types.AttributeValue, 3)
	for _, k := range []string{AttrPK, partitionAttr, sortAttr} {
		key[k] = &types.AttributeValueMemberS{Value: flat[k]}
	}
	return key, nil
}

// Marshal encodes a storage struct, leaving zero times out (instead of the year-1
// timestamp the unixtime tag would otherwise produce).
func Marshal(v any) (map[string]types.AttributeValue, error) {
	return attributevalue.MarshalMapWithOptions(v, func(o *attributevalue.EncoderOptions) {
		o.OmitEmptyTime = true
	})
}

// UTCOrZero is t in UTC, leaving the zero time zero.
func UTCOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// Page sizes for ByTarget, ByActor, OpenIntents and the sweeper listings.
const (
	defaultPageSize = 20
	MaxPageSize     = 100
)

// PageSize applies the default and the cap to a caller's limit.
func PageSize(limit int) int {
	if limit <= 0 {
		return defaultPageSize
	}
	return min(limit, MaxPageSize)
}
