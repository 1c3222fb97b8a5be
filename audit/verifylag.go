package audit

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
)

// maxUnindexedLinks bounds how many of a chain's links verify reads from the
// table itself when the by_chain index does not show them yet.
const maxUnindexedLinks = 20

// notYetIndexed reports whether links the chain walk did not see are in the
// table all the same, written a moment ago and not yet in the by_chain index
// (a global secondary index in AWS lags its table): starting from the link at
// position seq of the chain, named by its entry id and expected to hash to
// want, it follows the predecessors in the table (strongly consistent reads)
// until it reaches last, the newest link the walk saw (nil: none), or the
// start of the window. Every link on the way must be unchanged and linked to
// the next. Anything else — a link gone, changed, or stripped of its place —
// is not lag, and the caller reports it.
func (v *verifier) notYetIndexed(ctx context.Context, shard int, id string, seq uint64, want string, last *seen) (bool, error) {
	since := ""
	if !v.opts.Since.IsZero() {
		since = formatTime(v.opts.Since)
	}
	for range maxUnindexedLinks {
		c, ok, err := v.storedLink(ctx, shard, id, seq)
		if err != nil || !ok || c.ChainHash != want {
			return false, err
		}
		switch {
		case last != nil && seq == last.seq+1:
			return c.ChainPrev == last.hash, nil
		case last == nil && seq == 1:
			return c.ChainPrev == "", nil
		case last == nil && since != "" && c.ChainSK < since:
			return true, nil
		case last != nil && seq <= last.seq:
			return false, nil
		}
		id, seq, want = c.ChainPrevID, seq-1, c.ChainPrev
	}
	return false, nil
}

// storedLink reads the link at position seq of chain shard that entry id's
// entry or outcome holds, and checks its hash against its content; ok is false
// when neither is that link, or its content no longer matches its hash.
func (v *verifier) storedLink(ctx context.Context, shard int, id string, seq uint64) (chainAttrs, bool, error) {
	got, err := v.t.batchGet(ctx, []string{entryKey(id), outcomeKey(id)})
	if err != nil {
		return chainAttrs{}, false, unavailable(err)
	}
	for pk, it := range got {
		var c chainAttrs
		if err := attributevalue.UnmarshalMap(it, &c); err != nil {
			return chainAttrs{}, false, fmt.Errorf("decoding a link: %w", err)
		}
		if _, s, ok := parseChainSortKey(c.ChainSK); !ok || s != seq || c.ChainPK != chainPartition(shard) {
			continue
		}
		hash, err := contentHash(pk == outcomeKey(id), it)
		if err != nil {
			return chainAttrs{}, false, err
		}
		return c, hash == c.ChainHash, nil
	}
	return chainAttrs{}, false, nil
}

// contentHash recomputes the hash of a stored entry or outcome link.
func contentHash(outcome bool, it item) (string, error) {
	if outcome {
		var o outcomeItem
		if err := attributevalue.UnmarshalMap(it, &o); err != nil {
			return "", fmt.Errorf("decoding an outcome: %w", err)
		}
		return outcomeHash(o), nil
	}
	var e entryItem
	if err := attributevalue.UnmarshalMap(it, &e); err != nil {
		return "", fmt.Errorf("decoding an entry: %w", err)
	}
	return entryHash(e), nil
}
