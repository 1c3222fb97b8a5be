package audit

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
	attrPK  = "pk"
	attrTTL = "ttl"

	indexByTarget = "by_target"
	indexByActor  = "by_actor"
	indexByDue    = "by_due"
	indexByOpen   = "by_open"
	indexByJob    = "by_job"

	attrTargetPK = "target_pk"
	attrTargetSK = "target_sk"
	attrActorPK  = "actor_pk"
	attrActorSK  = "actor_sk"
	attrDuePK    = "due_pk"
	attrDueAt    = "due_at"
	attrOpenPK   = "open_pk"
	attrOpenSK   = "open_sk"
	attrJobPK    = "job_pk"
	attrJobSK    = "job_sk"

	// The hash chain's index (see chain.go).
	indexByChain = "by_chain"
	attrChainPK  = "chain_pk"
	attrChainSK  = "chain_sk"

	// duePartition is the single due_pk value; one partition is ample at bot volumes.
	duePartition = "PENDING"
	// stuckPartition holds EXECUTING items, keyed by when they count as stuck.
	stuckPartition = "EXECUTING"
	// openPartition is the single open_pk value of audit entries still waiting for Finish.
	openPartition = "OPEN"
)

// maxKeyPart bounds each caller-supplied piece of a key. Longer pieces are hashed, so the
// sort key "<time>#<id>" and the partition keys stay well under DynamoDB's limits.
const maxKeyPart = 256

// timeLayout is RFC 3339 with a fixed nine-digit fraction. time.RFC3339Nano drops
// trailing zeros, which would break the lexicographic order sort keys rely on.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// keyPart makes a caller-supplied string safe to embed in a key: short strings are kept
// as they are, and long ones (or ones starting with the hash marker "~", so the mapping
// stays one-to-one) become "~" plus their SHA-256.
func keyPart(s string) string {
	if len(s) <= maxKeyPart && !strings.HasPrefix(s, "~") {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "~" + hex.EncodeToString(sum[:])
}

func entryKey(id string) string   { return "ENTRY#" + keyPart(id) }
func pendingKey(id string) string { return "PENDING#" + keyPart(id) }
func sessionKey(id string) string { return "SESSION#" + keyPart(id) }

func targetKey(pool, username string) string {
	return "TARGET#" + keyPart(pool) + "#" + keyPart(username)
}

func actorKey(teamID, userID string) string {
	return "ACTOR#" + keyPart(teamID) + "#" + keyPart(userID)
}

// sortKey orders index entries by time, with the id breaking ties.
func sortKey(t time.Time, id string) string { return formatTime(t) + "#" + keyPart(id) }

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func keyOf(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: &types.AttributeValueMemberS{Value: pk}}
}

// encodeCursor turns a LastEvaluatedKey (all string attributes in this package) into an
// opaque URL-safe token.
func encodeCursor(key map[string]types.AttributeValue) string {
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

// decodeCursor reverses encodeCursor and checks that the cursor belongs to the query it
// is used with (same index partition), so a cursor from another listing cannot be
// replayed against this one.
func decodeCursor(cursor, partitionAttr, sortAttr, partition string) (map[string]types.AttributeValue, error) {
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
	if flat[partitionAttr] != partition || flat[attrPK] == "" || flat[sortAttr] == "" || len(flat) != 3 {
		return nil, fmt.Errorf("%w: cursor belongs to another listing", ErrInvalid)
	}
	key := make(map[string]types.AttributeValue, 3)
	for _, k := range []string{attrPK, partitionAttr, sortAttr} {
		key[k] = &types.AttributeValueMemberS{Value: flat[k]}
	}
	return key, nil
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

// Page sizes for ByTarget, ByActor, OpenIntents and the sweeper listings.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// pageSize applies the default and the cap to a caller's limit.
func pageSize(limit int) int {
	if limit <= 0 {
		return defaultPageSize
	}
	return min(limit, maxPageSize)
}
