package chain

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/cognito-bot/cognito-bot/audit/table"
)

// The hash chain (see chain.md in the README's "Audit chain" part for the why).
//
// Every audit entry and every outcome is a link of one of ChainShards chains. A link
// stores its chain (chain_pk = "CHAIN#<shard>"), its position (chain_sk =
// "<chain time>#<12-digit seq>"), its predecessor's hash (chain_prev) and expiry
// (chain_prev_expires), and its own hash (chain_hash) over all of that and its
// content. Each chain has a head item (pk = "CHAINHEAD#<shard>") naming its last
// link; a link is written in one transaction with the conditional update of its
// head, so two writers can never both extend the same link, and a crash can never
// leave a head pointing past a link that was not written.
//
// Entries pick their chain by a hash of their id, so replicas appending at once
// contend on a head only when their entries land in the same chain, one time in
// ChainShards; a writer that loses retries from the head the failure returned.
const (
	// ChainShards is how many chains the log spreads entries over.
	ChainShards = 8

	AttrChainHash        = "chain_hash"
	AttrChainPrev        = "chain_prev"
	attrChainPrevExpires = "chain_prev_expires"
	attrChainPrevID      = "chain_prev_id"
	AttrChainKind        = "chain_kind"
	// A head's attributes have names of their own, so the IAM condition on which
	// attributes an update may name (deploy/) allows moving a head without
	// allowing any change to an entry's link.
	attrHeadSeq     = "head_seq"
	attrHeadSK      = "head_sk"
	AttrHeadHash    = "head_hash"
	attrHeadExpires = "head_expires"
	attrHeadLastID  = "head_last_id"
	attrHeadStarted = "head_started"

	// maxAppendAttempts bounds the retries of a writer that keeps losing its head.
	maxAppendAttempts = 64
)

// Link kinds: what a link's content is.
const (
	// KindIntent is an entry written by Begin: its outcome comes later, in an outcome link.
	KindIntent = "intent"
	// KindRecord is an entry written by Record, complete when written.
	KindRecord = "record"
	// KindOutcome is the outcome Finish gave an intent.
	KindOutcome = "outcome"
)

// Partition is the by_chain partition of chain shard.
func Partition(shard int) string { return "CHAIN#" + strconv.Itoa(shard) }

// HeadKey is the pk of chain shard's head item.
func HeadKey(shard int) string { return "CHAINHEAD#" + strconv.Itoa(shard) }

// OutcomeKey is the pk of the outcome link of entry id.
func OutcomeKey(id string) string { return "OUTCOME#" + table.KeyPart(id) }

// SortKey places a link in its chain: by chain time, then by sequence number.
func SortKey(at time.Time, seq uint64) string {
	return table.FormatTime(at) + "#" + fmt.Sprintf("%012d", seq)
}

// ParseSortKey splits a chain sort key; ok is false when it is malformed.
func ParseSortKey(sk string) (at time.Time, seq uint64, ok bool) {
	if len(sk) < 14 || sk[len(sk)-13] != '#' {
		return time.Time{}, 0, false
	}
	seq, err := strconv.ParseUint(sk[len(sk)-12:], 10, 64)
	if err != nil {
		return time.Time{}, 0, false
	}
	at = table.ParseTime(sk[:len(sk)-13])
	return at, seq, !at.IsZero()
}

// ShardOf is the chain an entry id belongs to; its outcome joins the same chain.
func ShardOf(id string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return int(h.Sum32() % ChainShards)
}

// Head is where a chain ends: its last link's position, hash and expiry.
type Head struct {
	Shard   int
	Exists  bool
	seq     uint64
	at      time.Time
	SK      string
	Hash    string
	Expires string // the last link's ttl in epoch seconds, "0" when it never expires
	lastID  string
	started string
}

// HeadFromItem decodes chain shard's head item (nil or empty: the chain has no links yet).
func HeadFromItem(shard int, it table.Item) Head {
	h := Head{Shard: shard}
	if len(it) == 0 {
		return h
	}
	h.Exists = true
	h.seq, _ = strconv.ParseUint(table.StringAttr(it, attrHeadSeq), 10, 64)
	h.SK = table.StringAttr(it, attrHeadSK)
	h.at, _, _ = ParseSortKey(h.SK)
	h.Hash = table.StringAttr(it, AttrHeadHash)
	h.Expires = table.StringAttr(it, attrHeadExpires)
	h.lastID = table.StringAttr(it, attrHeadLastID)
	h.started = table.StringAttr(it, attrHeadStarted)
	return h
}

// Link is the position a new link takes after h.
type Link struct {
	shard       int
	seq         uint64
	sk          string
	prev        string
	prevExpires string
	prevID      string
}

// next is the link that follows h, at now or at h's time if that is later, so chain
// time never goes backwards within a chain whatever the writers' clocks say.
func (h Head) next(now time.Time) Link {
	at := now
	if at.Before(h.at) {
		at = h.at
	}
	l := Link{shard: h.Shard, seq: h.seq + 1, prev: h.Hash, prevExpires: h.Expires, prevID: h.lastID}
	l.sk = SortKey(at, l.seq)
	if !h.Exists {
		l.prevExpires, l.prevID = "", ""
	}
	return l
}

// headOp is the transaction op that moves the head of l's chain from h to l.
func headOp(h Head, l Link, hash, expires, id string) table.TxOp {
	seq := fmt.Sprintf("%012d", l.seq)
	if !h.Exists {
		return table.TxCreate(table.Item{
			table.AttrPK:    &types.AttributeValueMemberS{Value: HeadKey(l.shard)},
			attrHeadSeq:     &types.AttributeValueMemberS{Value: seq},
			attrHeadSK:      &types.AttributeValueMemberS{Value: l.sk},
			AttrHeadHash:    &types.AttributeValueMemberS{Value: hash},
			attrHeadExpires: &types.AttributeValueMemberS{Value: expires},
			attrHeadLastID:  &types.AttributeValueMemberS{Value: id},
			attrHeadStarted: &types.AttributeValueMemberS{Value: l.sk},
		})
	}
	var c table.Change
	c.Require(attrHeadSeq, table.OpEqual, fmt.Sprintf("%012d", h.seq))
	c.Set(attrHeadSeq, seq)
	c.Set(attrHeadSK, l.sk)
	c.Set(AttrHeadHash, hash)
	c.Set(attrHeadExpires, expires)
	c.Set(attrHeadLastID, id)
	return table.TxUpdate(HeadKey(l.shard), c)
}

// expiresAttr is a link's ttl as stored on the head and its successor.
func expiresAttr(ttl time.Time) string {
	if ttl.IsZero() {
		return "0"
	}
	return strconv.FormatInt(ttl.Unix(), 10)
}

// Writer appends links to the chains of one table. It caches each chain's
// head (heads) and gives its writers turns at each chain (turns), so it is
// shared by every write of one log handle.
type Writer struct {
	Table table.Table
	Clock func() time.Time
	heads heads
	turns turns
}

// readHead reads a chain's head with a consistent read.
func (l *Writer) readHead(ctx context.Context, shard int) (Head, error) {
	it, err := l.Table.Get(ctx, HeadKey(shard))
	if err != nil {
		return Head{}, err
	}
	return HeadFromItem(shard, it), nil
}

// Append writes one link at the end of chain shard. build returns, for the
// position the link takes, the link's hash and expiry and the ops that write it (the
// first names the link's own item); Append prefixes the head move and retries
// on a lost head. When one of build's ops loses its own condition, the reasons are
// returned for the caller to interpret (a duplicate id, an entry already finished),
// with op 0 being build's first op.
func (l *Writer) Append(ctx context.Context, shard int, build func(Link) (hash string, ttl time.Time, id string, ops []table.TxOp, err error)) ([]types.CancellationReason, error) {
	release, err := l.turns.take(ctx, shard)
	if err != nil {
		return nil, table.Unavailable(err)
	}
	defer release()
	for attempt := range maxAppendAttempts {
		h, ok := l.heads.get(shard)
		if !ok {
			var err error
			if h, err = l.readHead(ctx, shard); err != nil {
				return nil, table.Unavailable(err)
			}
		}
		next := h.next(l.Clock())
		hash, ttl, id, ops, err := build(next)
		if err != nil {
			return nil, err
		}
		expires := expiresAttr(ttl)
		err = l.Table.Transact(ctx, append([]table.TxOp{headOp(h, next, hash, expires, id)}, ops...))
		if err == nil {
			moved := Head{Shard: shard, Exists: true, seq: next.seq, SK: next.sk, Hash: hash, Expires: expires, lastID: id}
			moved.at, _, _ = ParseSortKey(next.sk)
			l.heads.set(moved)
			return nil, nil
		}
		reasons := table.Cancelled(err)
		if reasons == nil {
			l.heads.forget(shard)
			return nil, table.Unavailable(err)
		}
		for i := 1; i < len(reasons); i++ {
			if table.ReasonCode(reasons, i) == table.CodeConditionalFailed {
				return reasons[1:], nil
			}
		}
		switch table.ReasonCode(reasons, 0) {
		case table.CodeConditionalFailed:
			if old := reasons[0].Item; len(old) > 0 {
				l.heads.set(HeadFromItem(shard, old))
				if cur, _ := l.heads.get(shard); cur.seq <= h.seq {
					l.heads.forget(shard)
				}
			} else {
				l.heads.forget(shard)
			}
		default:
			// Another transaction held an item for a moment: back off a little.
			l.heads.forget(shard)
			if err := pause(ctx, attempt); err != nil {
				return nil, table.Unavailable(err)
			}
		}
	}
	return nil, fmt.Errorf("%w: chain %d stayed contended after %d attempts", table.ErrUnavailable, shard, maxAppendAttempts)
}

// pause waits a short random time growing with attempt, or until ctx ends.
func pause(ctx context.Context, attempt int) error {
	d := time.Duration(rand.IntN(1+min(attempt, 10))*5) * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Attrs are the chain attributes of a link of the given kind at l; its hash is
// left for the caller to compute over them and the content.
func (l Link) Attrs(kind string) Attrs {
	return Attrs{ChainPK: Partition(l.shard), ChainSK: l.sk, ChainKind: kind,
		ChainPrev: l.prev, ChainPrevExpires: l.prevExpires, ChainPrevID: l.prevID}
}
