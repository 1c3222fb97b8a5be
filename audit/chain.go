package audit

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
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

	attrChainHash        = "chain_hash"
	attrChainPrev        = "chain_prev"
	attrChainPrevExpires = "chain_prev_expires"
	attrChainPrevID      = "chain_prev_id"
	attrChainKind        = "chain_kind"
	// A head's attributes have names of their own, so the IAM condition on which
	// attributes an update may name (deploy/) allows moving a head without
	// allowing any change to an entry's link.
	attrHeadSeq     = "head_seq"
	attrHeadSK      = "head_sk"
	attrHeadHash    = "head_hash"
	attrHeadExpires = "head_expires"
	attrHeadLastID  = "head_last_id"
	attrHeadStarted = "head_started"

	// maxAppendAttempts bounds the retries of a writer that keeps losing its head.
	maxAppendAttempts = 64
)

// Link kinds: what a link's content is.
const (
	// kindIntent is an entry written by Begin: its outcome comes later, in an outcome link.
	kindIntent = "intent"
	// kindRecord is an entry written by Record, complete when written.
	kindRecord = "record"
	// kindOutcome is the outcome Finish gave an intent.
	kindOutcome = "outcome"
)

func chainPartition(shard int) string { return "CHAIN#" + strconv.Itoa(shard) }
func headKey(shard int) string        { return "CHAINHEAD#" + strconv.Itoa(shard) }
func outcomeKey(id string) string     { return "OUTCOME#" + keyPart(id) }

// chainSortKey places a link in its chain: by chain time, then by sequence number.
func chainSortKey(at time.Time, seq uint64) string {
	return formatTime(at) + "#" + fmt.Sprintf("%012d", seq)
}

// parseChainSortKey splits a chain sort key; ok is false when it is malformed.
func parseChainSortKey(sk string) (at time.Time, seq uint64, ok bool) {
	if len(sk) < 14 || sk[len(sk)-13] != '#' {
		return time.Time{}, 0, false
	}
	seq, err := strconv.ParseUint(sk[len(sk)-12:], 10, 64)
	if err != nil {
		return time.Time{}, 0, false
	}
	at = parseTime(sk[:len(sk)-13])
	return at, seq, !at.IsZero()
}

// shardOf is the chain an entry id belongs to; its outcome joins the same chain.
func shardOf(id string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return int(h.Sum32() % ChainShards)
}

// head is where a chain ends: its last link's position, hash and expiry.
type head struct {
	shard   int
	exists  bool
	seq     uint64
	at      time.Time
	sk      string
	hash    string
	expires string // the last link's ttl in epoch seconds, "0" when it never expires
	lastID  string
	started string
}

func headFromItem(shard int, it item) head {
	h := head{shard: shard}
	if len(it) == 0 {
		return h
	}
	h.exists = true
	h.seq, _ = strconv.ParseUint(stringAttr(it, attrHeadSeq), 10, 64)
	h.sk = stringAttr(it, attrHeadSK)
	h.at, _, _ = parseChainSortKey(h.sk)
	h.hash = stringAttr(it, attrHeadHash)
	h.expires = stringAttr(it, attrHeadExpires)
	h.lastID = stringAttr(it, attrHeadLastID)
	h.started = stringAttr(it, attrHeadStarted)
	return h
}

// link is the position a new link takes after h.
type link struct {
	shard       int
	seq         uint64
	sk          string
	prev        string
	prevExpires string
	prevID      string
}

// next is the link that follows h, at now or at h's time if that is later, so chain
// time never goes backwards within a chain whatever the writers' clocks say.
func (h head) next(now time.Time) link {
	at := now
	if at.Before(h.at) {
		at = h.at
	}
	l := link{shard: h.shard, seq: h.seq + 1, prev: h.hash, prevExpires: h.expires, prevID: h.lastID}
	l.sk = chainSortKey(at, l.seq)
	if !h.exists {
		l.prevExpires, l.prevID = "", ""
	}
	return l
}

// headOp is the transaction op that moves the head of l's chain from h to l.
func headOp(h head, l link, hash, expires, id string) txOp {
	seq := fmt.Sprintf("%012d", l.seq)
	if !h.exists {
		return txCreate(item{
			attrPK:          &types.AttributeValueMemberS{Value: headKey(l.shard)},
			attrHeadSeq:     &types.AttributeValueMemberS{Value: seq},
			attrHeadSK:      &types.AttributeValueMemberS{Value: l.sk},
			attrHeadHash:    &types.AttributeValueMemberS{Value: hash},
			attrHeadExpires: &types.AttributeValueMemberS{Value: expires},
			attrHeadLastID:  &types.AttributeValueMemberS{Value: id},
			attrHeadStarted: &types.AttributeValueMemberS{Value: l.sk},
		})
	}
	var c change
	c.require(attrHeadSeq, opEqual, fmt.Sprintf("%012d", h.seq))
	c.set(attrHeadSeq, seq)
	c.set(attrHeadSK, l.sk)
	c.set(attrHeadHash, hash)
	c.set(attrHeadExpires, expires)
	c.set(attrHeadLastID, id)
	return txUpdate(headKey(l.shard), c)
}

// expiresAttr is a link's ttl as stored on the head and its successor.
func expiresAttr(ttl time.Time) string {
	if ttl.IsZero() {
		return "0"
	}
	return strconv.FormatInt(ttl.Unix(), 10)
}

// heads caches each chain's head, so a writer usually needs no read before it
// appends: a stale head costs one lost condition, which returns the current head.
type heads struct {
	mu sync.Mutex
	by map[int]head
}

func (hs *heads) get(shard int) (head, bool) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	h, ok := hs.by[shard]
	return h, ok
}

func (hs *heads) set(h head) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if hs.by == nil {
		hs.by = map[int]head{}
	}
	if old, ok := hs.by[h.shard]; !ok || !old.exists || h.seq >= old.seq {
		hs.by[h.shard] = h
	}
}

func (hs *heads) forget(shard int) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	delete(hs.by, shard)
}

// chainWriter appends links to the chains of one table. It caches each chain's
// head (heads), so it is shared by every write of one log handle.
type chainWriter struct {
	t     table
	clock func() time.Time
	heads heads
}

// readHead reads a chain's head with a consistent read.
func (l *chainWriter) readHead(ctx context.Context, shard int) (head, error) {
	it, err := l.t.get(ctx, headKey(shard))
	if err != nil {
		return head{}, err
	}
	return headFromItem(shard, it), nil
}

// appendLink writes one link at the end of chain shard. build returns, for the
// position the link takes, the link's hash and expiry and the ops that write it (the
// first names the link's own item); appendLink prefixes the head move and retries
// on a lost head. When one of build's ops loses its own condition, the reasons are
// returned for the caller to interpret (a duplicate id, an entry already finished),
// with op 0 being build's first op.
func (l *chainWriter) appendLink(ctx context.Context, shard int, build func(link) (hash string, ttl time.Time, id string, ops []txOp, err error)) ([]types.CancellationReason, error) {
	for attempt := range maxAppendAttempts {
		h, ok := l.heads.get(shard)
		if !ok {
			var err error
			if h, err = l.readHead(ctx, shard); err != nil {
				return nil, unavailable(err)
			}
		}
		next := h.next(l.clock())
		hash, ttl, id, ops, err := build(next)
		if err != nil {
			return nil, err
		}
		expires := expiresAttr(ttl)
		err = l.t.transact(ctx, append([]txOp{headOp(h, next, hash, expires, id)}, ops...))
		if err == nil {
			moved := head{shard: shard, exists: true, seq: next.seq, sk: next.sk, hash: hash, expires: expires, lastID: id}
			moved.at, _, _ = parseChainSortKey(next.sk)
			l.heads.set(moved)
			return nil, nil
		}
		reasons := cancelled(err)
		if reasons == nil {
			l.heads.forget(shard)
			return nil, unavailable(err)
		}
		for i := 1; i < len(reasons); i++ {
			if reasonCode(reasons, i) == codeConditionalFailed {
				return reasons[1:], nil
			}
		}
		switch reasonCode(reasons, 0) {
		case codeConditionalFailed:
			if old := reasons[0].Item; len(old) > 0 {
				l.heads.set(headFromItem(shard, old))
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
				return nil, unavailable(err)
			}
		}
	}
	return nil, fmt.Errorf("%w: chain %d stayed contended after %d attempts", ErrUnavailable, shard, maxAppendAttempts)
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

// attrs are the chain attributes of a link of the given kind at l; its hash is
// left for the caller to compute over them and the content.
func (l link) attrs(kind string) chainAttrs {
	return chainAttrs{ChainPK: chainPartition(l.shard), ChainSK: l.sk, ChainKind: kind,
		ChainPrev: l.prev, ChainPrevExpires: l.prevExpires, ChainPrevID: l.prevID}
}
