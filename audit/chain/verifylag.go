package chain

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"github.com/cognito-bot/cognito-bot/audit/table"
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
		since = table.FormatTime(v.opts.Since)
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
func (v *verifier) storedLink(ctx context.Context, shard int, id string, seq uint64) (Attrs, bool, error) {
	got, err := v.t.BatchGet(ctx, []string{table.EntryKey(id), OutcomeKey(id)})
	if err != nil {
		return Attrs{}, false, table.Unavailable(err)
	}
	for pk, it := range got {
		var c Attrs
		if err := attributevalue.UnmarshalMap(it, &c); err != nil {
			return Attrs{}, false, fmt.Errorf("decoding a link: %w", err)
		}
		if _, s, ok := ParseSortKey(c.ChainSK); !ok || s != seq || c.ChainPK != Partition(shard) {
			continue
		}
		hash, err := contentHash(pk == OutcomeKey(id), it)
		if err != nil {
			return Attrs{}, false, err
		}
		return c, hash == c.ChainHash, nil
	}
	return Attrs{}, false, nil
}

// contentHash recomputes the hash of a stored entry or outcome link.
func contentHash(outcome bool, it table.Item) (string, error) {
	if outcome {
		var o OutcomeItem
		if err := attributevalue.UnmarshalMap(it, &o); err != nil {
			return "", fmt.Errorf("decoding an outcome: %w", err)
		}
		return OutcomeHash(o), nil
	}
	var e EntryItem
	if err := attributevalue.UnmarshalMap(it, &e); err != nil {
		return "", fmt.Errorf("decoding an entry: %w", err)
	}
	return EntryHash(e), nil
}
